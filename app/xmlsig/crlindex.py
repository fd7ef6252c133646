"""The revoked serials of one CRL, found without a Python object per entry.

A national CA's CRL holds a million entries. Walking it through ``cryptography`` and keeping
a dict of entry objects took 9.9 s and 240 MB in every process. Here the CRL's own DER is
the store: one pass over its revokedCertificates puts each entry's offset into a hash
table of 32-bit integers keyed by the serial's CRC (about 16 bytes an entry), and a lookup
reads the one or two entries of its slot and decodes the one that matches (its date and
reason only then). With an index directory the DER and the arrays are files named by the
CRL's SHA-256, mapped read-only: every process on the machine shares the same pages, and a
process that finds the files for the CRL it loads does no pass at all.

Only a CRL whose signature has verified is indexed (``revocation.index_crl``); the DER
walked here is that CRL's, so a malformed entry is the CA's error and is refused whole.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import struct
import tempfile
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zlib import crc32

from cryptography import x509

from app.xmlsig.errors import ConfigurationError

log = logging.getLogger(__name__)

#: the reasonCode entry extension (2.5.29.21), as its DER object identifier
_REASON_OID = b"\x06\x03\x55\x1d\x15"
#: RFC 5280's CRLReason values; 7 is unused
_REASONS = {
    0: x509.ReasonFlags.unspecified, 1: x509.ReasonFlags.key_compromise,
    2: x509.ReasonFlags.ca_compromise, 3: x509.ReasonFlags.affiliation_changed,
    4: x509.ReasonFlags.superseded, 5: x509.ReasonFlags.cessation_of_operation,
    6: x509.ReasonFlags.certificate_hold, 8: x509.ReasonFlags.remove_from_crl,
    9: x509.ReasonFlags.privilege_withdrawn, 10: x509.ReasonFlags.aa_compromise,
}
#: a CRL's files not loaded by any process for this long are removed (seconds)
UNUSED_FOR = 7 * 24 * 3600
_MAGIC = b"QUJATCRLIDX1"
_HEADER = struct.Struct(">12s32sQQ")  # magic, SHA-256 of the DER, entries, slots


@dataclass(frozen=True, slots=True)
class RevokedEntry:
    serial_number: int
    revoked_at: datetime
    reason: x509.ReasonFlags | None = None

    @property
    def reason_name(self) -> str:
        return self.reason.value if self.reason else "unspecified"


class SerialIndex:
    """Revoked entries by serial number over one CRL's DER (bytes or a mapped file).

    The table is open addressing with linear probing: slot ``crc32(serial) & mask`` and
    the ones after it hold 1 + the offset of an entry in the DER, 0 marks the end of a
    run. At least 4/3 as many slots as entries could fit in the list, so runs stay short.
    """

    def __init__(self, der, *, table, count: int) -> None:
        self._der = der
        self._table = table
        self._mask = len(table) - 1
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[RevokedEntry]:
        """Every entry, in the CRL's order (a walk of the whole list: for tests and
        tools, never for a verdict)."""
        for offset in _entry_offsets(self._der):
            serial, content, end = _serial_at(self._der, offset)
            yield _entry(self._der, serial, content, end)

    def lookup(self, serial_number: int) -> RevokedEntry | None:
        content = _integer_content(serial_number)
        der, table, mask, size = self._der, self._table, self._mask, len(content)
        slot = crc32(content) & mask
        while stored := table[slot]:
            _, start, end = _tlv(der, stored - 1)
            # the serial INTEGER opens the entry; cryptography refused the CRL at load if
            # any INTEGER in it were not minimal DER, so equal numbers have equal bytes
            _, s, e = _tlv(der, start)
            if e - s == size and der[s:e] == content:
                return _entry(der, serial_number, e, end)
            slot = (slot + 1) & mask
        return None

    @classmethod
    def build(cls, der: bytes) -> SerialIndex:
        """An index in memory (no index directory, or one that cannot be written)."""
        count, table = _layout(der)
        return cls(der, table=table, count=count)

    @classmethod
    def on_disk(cls, der: bytes, directory: Path) -> SerialIndex:
        """The index kept in ``directory``: reused when a file for this CRL is there,
        written once (atomically, so a reader never maps half a file) when it is not."""
        digest = hashlib.sha256(der).digest()
        stem = directory / digest.hex()
        crl_path, index_path = stem.with_suffix(".crl"), stem.with_suffix(".idx")
        opened = _open(crl_path, index_path, digest)
        if opened is not None:
            _touch(crl_path, index_path)
            return opened
        count, table = _layout(der)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            _write_atomically(crl_path, der)
            header = _HEADER.pack(_MAGIC, digest, count, len(table))
            _write_atomically(index_path, header, table.tobytes())
        except OSError as error:
            # a full or read-only disk costs memory and start-up time, not revocation
            log.warning("CRL index not kept in %s (%s); this process holds it in memory",
                        directory, error)
            return cls(der, table=table, count=count)
        _sweep(directory)
        return _open(crl_path, index_path, digest) or cls(der, table=table, count=count)


def _open(crl_path: Path, index_path: Path, digest: bytes) -> SerialIndex | None:
    try:
        with open(index_path, "rb") as f, open(crl_path, "rb") as g:
            index = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            der = mmap.mmap(g.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing or unreadable; ValueError: an empty file
        return None
    if len(index) < _HEADER.size:
        return None
    magic, stored, count, slots = _HEADER.unpack_from(index)
    table = memoryview(index)[_HEADER.size:]
    if (magic != _MAGIC or stored != digest or len(table) != 4 * slots
            or slots & (slots - 1) or count >= slots):
        return None  # another version's file, or a torn one: built again
    return SerialIndex(der, table=table.cast("I"), count=count)


def _touch(*paths: Path) -> None:
    for path in paths:
        try:
            os.utime(path)
        except OSError:
            pass  # a read-only directory: the files are still good to read


def _sweep(directory: Path) -> None:
    """Remove the files of CRLs no process has loaded for a week: a CA issuing a CRL a
    day would otherwise leave 20 GB a year. A process still mapping one keeps its pages
    (an unlinked file lives while it is mapped) and builds it again if it reloads."""
    cutoff = time.time() - UNUSED_FOR
    for path in directory.iterdir():
        try:
            if path.suffix in {".crl", ".idx", ".part"} and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _write_atomically(path: Path, *chunks: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _layout(der: bytes) -> tuple[int, array]:
    try:
        return _place(der)
    except (IndexError, ValueError) as error:
        raise ConfigurationError(f"the CRL's list of revoked certificates is malformed "
                                 f"({error})") from error


def _place(der: bytes) -> tuple[int, array]:
    # One pass; the Python loop is the cost (about a microsecond an entry on an idle
    # machine), so it does no more than find each serial and drop the entry's offset into
    # its slot. No Python object outlives its entry.
    start, end = _revoked_list(der)
    if end >= 2**32:
        raise ValueError("a CRL of 4 GB or more")
    # an entry takes at least 20 octets: at least 4/3 slots an entry, a power of two
    slots = 1 << max(4, ((end - start) // 15).bit_length())
    mask = slots - 1
    table = array("I", bytes(4 * slots))
    count, i = 0, start
    while i < end:
        length = der[i + 1]
        if length < 0x80:
            j = i + 2
        else:
            n = length & 0x7F
            if not 0 < n <= 4:
                raise ValueError(f"an entry length of {n} octets")
            j = i + 2 + n
            length = int.from_bytes(der[i + 2:j], "big")
        if der[i] != 0x30 or der[j] != 0x02 or der[j + 1] >= 0x80:
            raise ValueError(f"the entry at offset {i} does not open with a serial INTEGER")
        slot = crc32(der[j + 2:j + 2 + der[j + 1]]) & mask
        while table[slot]:
            slot = (slot + 1) & mask
        table[slot] = i + 1
        count += 1
        i = j + length
    if i != end:
        raise ValueError("an entry runs past the list")
    return count, table


def _revoked_list(der) -> tuple[int, int]:
    """Where the content of revokedCertificates starts and ends in a CertificateList's
    DER (an empty stretch when the CRL lists nothing)."""
    _, i, _ = _tlv(der, 0)  # CertificateList
    _, i, tbs_end = _tlv(der, i)  # TBSCertList
    after_this_update = False
    while i < tbs_end:
        tag, start, end = _tlv(der, i)
        if tag in (0x17, 0x18):  # thisUpdate, then nextUpdate if present
            after_this_update = True
        elif tag == 0x30 and after_this_update:
            return start, end
        i = end
    return tbs_end, tbs_end


def _entry_offsets(der) -> Iterator[int]:
    start, end = _revoked_list(der)
    while start < end:
        yield start
        start = _tlv(der, start)[2]


def _tlv(der, i: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at ``i``."""
    tag, length = der[i], der[i + 1]
    i += 2
    if length & 0x80:
        n = length & 0x7F
        if not 0 < n <= 8:
            raise ValueError(f"a length of {n} octets")
        length = int.from_bytes(der[i:i + n], "big")
        i += n
    if i + length > len(der):
        raise ValueError("an element runs past the end")
    return tag, i, i + length


def _serial_at(der, offset: int) -> tuple[int, int, int]:
    """(serial number, where the entry's content goes on after it, entry end)."""
    _, start, end = _tlv(der, offset)
    tag, s, e = _tlv(der, start)
    if tag != 0x02:
        raise ValueError(f"an entry starts with tag {tag:#x}, not INTEGER")
    return int.from_bytes(der[s:e], "big", signed=True), e, end


def to_be_signed(der) -> memoryview:
    """The TBSCertList of a CertificateList's DER, exactly as signed (a view, not a copy
    of a national CA's 40 MB)."""
    try:
        _, i, _ = _tlv(der, 0)
        _, _, end = _tlv(der, i)
    except (IndexError, ValueError) as error:
        raise ConfigurationError(f"not a DER CertificateList ({error})") from error
    return memoryview(der)[i:end]


def _integer_content(n: int) -> bytes:
    """The content octets of ``n`` as a DER INTEGER (minimal two's complement)."""
    return n.to_bytes(((~n if n < 0 else n).bit_length() + 8) // 8, "big", signed=True)


def _entry(der, serial: int, i: int, end: int) -> RevokedEntry:
    try:
        tag, s, e = _tlv(der, i)
        revoked_at = _time(tag, bytes(der[s:e]))
        reason = None
        if e < end:  # crlEntryExtensions
            _, s, extensions_end = _tlv(der, e)
            while s < extensions_end:
                _, x, extension_end = _tlv(der, s)
                if der[x:x + len(_REASON_OID)] == _REASON_OID:
                    reason = _reason(der, x + len(_REASON_OID), extension_end)
                s = extension_end
    except (IndexError, ValueError, KeyError) as error:
        raise ConfigurationError(f"the CRL entry of serial {serial:#x} is malformed "
                                 f"({error})") from error
    return RevokedEntry(serial_number=serial, revoked_at=revoked_at, reason=reason)


def _reason(der, i: int, end: int) -> x509.ReasonFlags:
    tag, s, e = _tlv(der, i)
    if tag == 0x01:  # critical flag
        tag, s, e = _tlv(der, e)
    if tag != 0x04:
        raise ValueError("reasonCode without its OCTET STRING")
    tag, s, e = _tlv(der, s)
    if tag != 0x0A or e - s != 1:
        raise ValueError("reasonCode is not a one-octet ENUMERATED")
    return _REASONS[der[s]]


def _time(tag: int, text: bytes) -> datetime:
    if tag == 0x17:  # UTCTime, YYMMDDHHMMSSZ: 50-99 are 1950-1999 (RFC 5280)
        year = int(text[:2])
        text = (b"19" if year >= 50 else b"20") + text
    elif tag != 0x18:  # GeneralizedTime, YYYYMMDDHHMMSSZ
        raise ValueError(f"a revocation date with tag {tag:#x}")
    if len(text) != 15 or not text.endswith(b"Z"):
        raise ValueError(f"a revocation date not in DER form: {text!r}")
    return datetime(int(text[0:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]),
                    int(text[10:12]), int(text[12:14]), tzinfo=UTC)
