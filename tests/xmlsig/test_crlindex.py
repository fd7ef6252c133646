"""The CRL serial index: the same answers as cryptography's own reading of the CRL, kept in
files the machine's processes share, rebuilt when a file is torn, never trusted blindly."""

from __future__ import annotations

import os
import random
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.xmlsig import crlindex
from app.xmlsig.crlindex import SerialIndex
from app.xmlsig.errors import ConfigurationError
from app.xmlsig.revocation import index_crl
from tests.xmlsig.certbuilder import Pki, at, crl

EVERY_REASON = [None, *(r for r in x509.ReasonFlags if r is not x509.ReasonFlags.unspecified),
                x509.ReasonFlags.unspecified]


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki.create()


@pytest.fixture(scope="module")
def varied(pki) -> x509.CertificateRevocationList:
    """Serials of every size (1 to 20 octets, the top bit set or not), each reason code,
    dates in UTCTime and, from 2050 on, GeneralizedTime."""
    rng = random.Random(2026)
    serials = [1, 127, 128, 255, 256, 2**159 - 1, 2**152 + 5,
               *(rng.getrandbits(rng.randint(8, 159)) | 1 for _ in range(300))]
    dates = [at(1999, 12, 31, 23, 59, 59), at(2024, 2, 29, 12), at(2049, 12, 31),
             at(2050, 1, 1), at(2061, 7, 1, 8, 30, 15)]
    revoked = [(serial, dates[n % len(dates)], EVERY_REASON[n % len(EVERY_REASON)])
               for n, serial in enumerate(dict.fromkeys(serials))]
    return crl(issuer=pki.ca, revoked=revoked)


def der(crl_object: x509.CertificateRevocationList) -> bytes:
    return crl_object.public_bytes(serialization.Encoding.DER)


def cryptography_says(crl_object, serial):
    entry = crl_object.get_revoked_certificate_by_serial_number(serial)
    if entry is None:
        return None
    try:
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    except x509.ExtensionNotFound:
        reason = None
    return entry.revocation_date_utc, reason


def index_says(index: SerialIndex, serial):
    entry = index.lookup(serial)
    return None if entry is None else (entry.revoked_at, entry.reason)


def test_every_entry_reads_as_cryptography_reads_it(varied):
    index = SerialIndex.build(der(varied))

    assert len(index) == len(list(varied))
    for entry in varied:
        assert index_says(index, entry.serial_number) == cryptography_says(
            varied, entry.serial_number)
        # the neighbours of a listed serial are not listed
        for other in (entry.serial_number + 1, entry.serial_number - 1):
            assert index_says(index, other) == cryptography_says(varied, other)


def test_an_empty_crl_answers_nothing(pki):
    index = SerialIndex.build(der(crl(issuer=pki.ca)))

    assert len(index) == 0 and index.lookup(1) is None


def test_the_index_is_written_once_and_reused_by_the_next_process(varied, tmp_path,
                                                                  monkeypatch):
    first = SerialIndex.on_disk(der(varied), tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    # a second load of the same CRL (another process, a reload) walks nothing
    monkeypatch.setattr(crlindex, "_layout", lambda _: pytest.fail("the CRL was walked"))
    second = SerialIndex.on_disk(der(varied), tmp_path)

    assert len(files) == 2 and {f.rsplit(".", 1)[1] for f in files} == {"crl", "idx"}
    assert sorted(p.name for p in tmp_path.iterdir()) == files
    for entry in varied:
        assert index_says(second, entry.serial_number) == index_says(first, entry.serial_number)


def test_a_torn_index_file_is_built_again(varied, tmp_path):
    SerialIndex.on_disk(der(varied), tmp_path)
    (index_file,) = tmp_path.glob("*.idx")
    index_file.write_bytes(index_file.read_bytes()[:-5])

    index = SerialIndex.on_disk(der(varied), tmp_path)

    serial = next(iter(varied)).serial_number
    assert index.lookup(serial) is not None and len(index) == len(list(varied))


def test_a_directory_that_cannot_be_written_leaves_the_index_in_memory(varied, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")

    index = SerialIndex.on_disk(der(varied), blocked / "crl-index")

    assert index.lookup(next(iter(varied)).serial_number) is not None


def test_a_verified_crl_gets_its_files_in_the_index_directory(pki, varied, tmp_path):
    index = index_crl(varied, issuers=[pki.ca.certificate], index_dir=tmp_path)

    assert len(index) == len(list(varied))
    assert len(list(tmp_path.glob("*.idx"))) == 1


def test_a_crl_whose_signature_fails_gets_no_index_files(pki, varied, tmp_path):
    other = Pki.create()

    with pytest.raises(ConfigurationError):
        index_crl(varied, issuers=[other.ca.certificate], index_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_malformed_list_is_refused_naming_it():
    # CertificateList { TBSCertList { version, signature, issuer, thisUpdate,
    #   revokedCertificates { entry whose first element is not an INTEGER } } }
    entry = b"\x30\x05\x04\x03abc"
    revoked = b"\x30" + bytes([len(entry)]) + entry
    tbs_body = (b"\x02\x01\x01" + b"\x30\x00" + b"\x30\x00"
                + b"\x17\x0d" + b"240101000000Z" + revoked)
    tbs = b"\x30" + bytes([len(tbs_body)]) + tbs_body
    document = b"\x30" + bytes([len(tbs)]) + tbs

    with pytest.raises(ConfigurationError, match="malformed"):
        SerialIndex.build(document)


def test_files_of_crls_unused_for_a_week_are_removed_when_a_new_one_is_indexed(
        pki, varied, tmp_path):
    SerialIndex.on_disk(der(varied), tmp_path)
    old_files = list(tmp_path.iterdir())
    week_ago = time.time() - crlindex.UNUSED_FOR - 60
    for path in old_files:
        os.utime(path, (week_ago, week_ago))

    SerialIndex.on_disk(der(crl(issuer=pki.ca, revoked=[(7, at(2024, 1, 1), None)])), tmp_path)

    assert not any(path.exists() for path in old_files)
    assert len(list(tmp_path.glob("*.idx"))) == 1


def test_a_crl_loaded_again_is_marked_as_used(varied, tmp_path):
    SerialIndex.on_disk(der(varied), tmp_path)
    for path in tmp_path.iterdir():
        os.utime(path, (0, 0))

    SerialIndex.on_disk(der(varied), tmp_path)

    assert all(path.stat().st_mtime > 0 for path in tmp_path.iterdir())
