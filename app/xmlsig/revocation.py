"""Revocation from CRLs: each CRL verified and indexed once, then asked in O(1).

A CRL is only as good as its signature, so ``index_crl`` refuses one that does not verify
against a configured CA (``ConfigurationError``; it is never used). The signature is checked
by ``pathrules.signed_by``, as on the certificates of a path, so RSA and GOST 34.10-2015
CRLs go the same way; one signed with an algorithm we cannot check (GOST 34.310-2004) is
refused too. cryptography's ``get_revoked_certificate_by_serial_number`` scans the whole
list on every call (6 ms at 100,000 entries), and a dict of its entries took 9.9 s and
240 MB per process at 1,000,000, so the serials are indexed over the CRL's own DER
(``crlindex``), in files shared by the machine's processes when a directory is given.

The verdict is taken at ``at``, the receipt time: the CRL must still have been current
then (``at`` not past its nextUpdate), otherwise we cannot say and answer INDETERMINATE.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from app.xmlsig import gost
from app.xmlsig.crlindex import RevokedEntry, SerialIndex, to_be_signed
from app.xmlsig.errors import ConfigurationError
from app.xmlsig.names import extension_value, issuer_of, short, subject_of
from app.xmlsig.pathrules import crl_signed_by
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Check, CheckCode, Outcome, SubIndication

_PEM_CRL = re.compile(rb"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----", re.S)


@dataclass(frozen=True, slots=True)
class _Scope:
    """What an issuingDistributionPoint says the CRL covers; everything when it has none."""

    user_certs: bool = True
    ca_certs: bool = True
    #: a partitioned CRL covers only certificates naming one of these in their
    #: cRLDistributionPoints; empty for a CRL that covers all its issuer's certificates
    distribution_points: frozenset[x509.GeneralName] = frozenset()

    def includes(self, cert: x509.Certificate) -> bool:
        if not (self.ca_certs if _is_ca(cert) else self.user_certs):
            return False
        if not self.distribution_points:
            return True
        return bool(self.distribution_points & _distribution_points(cert))


_COVERS_KEPT = 10_000


# eq=False: two indexes are the same only if they are the same load, and the policy that
# holds them stays hashable without hashing 100,000 entries.
@dataclass(frozen=True, eq=False)
class RevocationIndex:
    """One CRL, verified against its issuer and indexed by serial number."""

    issuer: x509.Name
    #: the configured CA whose key verified the CRL's signature
    issuer_certificate: x509.Certificate
    this_update: datetime
    next_update: datetime
    entries: SerialIndex = field(repr=False)
    crl_number: int | None = None
    scope: _Scope = _Scope()
    #: where it came from, for messages: "CRL /path/to/file.crl" or "CRL #2"
    source: str = ""

    def lookup(self, serial_number: int) -> RevokedEntry | None:
        return self.entries.lookup(serial_number)

    def __len__(self) -> int:
        return len(self.entries)

    def is_stale(self, *, at: datetime) -> bool:
        return at > self.next_update

    #: ``covers``'s answers: a signer sends many documents, each carrying its certificate
    #: again (equal certificates are one key); the index is replaced, memo and all, with
    #: the CRL, and the memo starts again past _COVERS_KEPT signers
    _covered: dict[tuple[x509.Certificate, x509.Certificate | None], bool] = field(
        default_factory=dict, repr=False, compare=False)

    def covers(self, cert: x509.Certificate, *, issuer: x509.Certificate | None) -> bool:
        """Whether this CRL speaks for ``cert``: same issuer name and, when the path tells
        us the issuing CA, the same key (a renewed CA keeps its name but not its key)."""
        key = (cert, issuer)
        known = self._covered.get(key)
        if known is None:
            known = (issuer_of(cert) == self.issuer and self.scope.includes(cert)
                     and (issuer is None or _same_key(issuer, self.issuer_certificate)))
            if len(self._covered) >= _COVERS_KEPT:
                self._covered.clear()
            self._covered[key] = known
        return known


def load_crls(
    source: str | os.PathLike[str] | bytes, *, label: str | None = None
) -> tuple[x509.CertificateRevocationList, ...]:
    """Read CRLs from a DER file, or a PEM file holding one or more, or their bytes.

    ``label`` names the source in error messages (default: "CRL <path>").
    """
    return tuple(crl for crl, _ in read_crls(source, label=label))


def read_crls(
    source: str | os.PathLike[str] | bytes, *, label: str | None = None
) -> tuple[tuple[x509.CertificateRevocationList, bytes], ...]:
    """``load_crls``, each CRL with the DER it was read from: ``index_crl`` verifies and
    indexes those bytes rather than have cryptography encode a million entries again."""
    if label is None:
        label = "CRL (bytes)" if isinstance(source, bytes) else f"CRL {os.fspath(source)}"
    data = _read(source, label=label)
    try:
        if b"-----BEGIN" in data:
            blocks = _PEM_CRL.findall(data)
            if not blocks:
                raise ConfigurationError(f"{label}: PEM without an X509 CRL block")
            ders = [base64.b64decode(b"".join(block.split(b"-----")[2].split()))
                    for block in blocks]
        else:
            ders = [data]
        return tuple((x509.load_der_x509_crl(der), der) for der in ders)
    except (ValueError, binascii.Error) as error:
        raise ConfigurationError(f"{label}: not a readable CRL ({error})") from error


def index_crl(
    crl: x509.CertificateRevocationList,
    *,
    issuers: Iterable[x509.Certificate],
    label: str = "",
    index_dir: Path | None = None,
    der: bytes | None = None,
) -> RevocationIndex:
    """Verify ``crl`` against the CA among ``issuers`` that issued it, then index it.

    ``label`` names it in messages and stays with the index as its ``source``, e.g.
    "CRL /etc/qujat/nca_rsa.crl". With ``index_dir`` the index is kept there as files
    shared by every process of the machine (see ``crlindex``); without, in memory.
    ``der`` is the encoding ``crl`` was read from (``read_crls`` gives both); without it,
    cryptography encodes the CRL again, which takes seconds at a million entries.
    """
    label = label or f"CRL of «{short(issuer_of(crl))}»"
    if der is None:
        der = crl.public_bytes(serialization.Encoding.DER)
    try:
        tbs = to_be_signed(der)
    except ConfigurationError as error:
        raise ConfigurationError(f"{label}: {error}") from error
    issuer = _signing_ca(crl, tbs, issuers=issuers, label=label)
    scope = _scope(crl, label=label)
    if crl.next_update_utc is None:
        raise ConfigurationError(
            f"{label}: no nextUpdate, so we could never tell when it goes stale"
        )
    try:
        entries = (SerialIndex.build(der) if index_dir is None
                   else SerialIndex.on_disk(der, index_dir))
    except ConfigurationError as error:
        raise ConfigurationError(f"{label}: {error}") from error
    number = extension_value(crl, x509.CRLNumber)
    return RevocationIndex(
        issuer=issuer_of(crl),
        issuer_certificate=issuer,
        this_update=crl.last_update_utc,
        next_update=crl.next_update_utc,
        entries=entries,
        crl_number=number.crl_number if number else None,
        scope=scope,
        source=label,
    )


def check_revocation(
    path: Sequence[x509.Certificate], *, policy: TrustPolicy, at: datetime
) -> Check:
    """Revocation status of ``path[0]`` (the signer) at ``at``; ``path`` runs signer first,
    anchor last, and may be just the signer when its issuer is unknown.

    The issuing CAs of the path are looked up too, but only a CRL that lists one as revoked
    changes the answer: they are our own configuration, and an authority revocation list
    we do not have is not a reason to doubt every signature.
    """
    at = _utc(at)
    indexes = tuple(i for i in policy.crls if isinstance(i, RevocationIndex))
    for position in range(1, len(path) - 1):
        ca, ca_issuer = path[position], path[position + 1]
        index = _newest(indexes, ca, issuer=ca_issuer)
        entry = index.lookup(ca.serial_number) if index else None
        if entry and entry.revoked_at <= at:
            if entry.reason is x509.ReasonFlags.certificate_hold:
                return _undecided(
                    f"the issuing CA «{short(subject_of(ca))}» is suspended (certificateHold) "
                    f"since {entry.revoked_at:%Y-%m-%d %H:%M} UTC"
                )
            return Check(
                CheckCode.REVOCATION,
                Outcome.FAILED,
                f"the issuing CA «{short(subject_of(ca))}» was revoked on "
                f"{entry.revoked_at:%Y-%m-%d %H:%M} UTC (reason: {entry.reason_name})",
                SubIndication.REVOKED,
            )
    return _status(
        path[0],
        issuer=path[1] if len(path) > 1 else None,
        indexes=indexes,
        required=policy.revocation_required,
        at=at,
    )


def _status(
    cert: x509.Certificate,
    *,
    issuer: x509.Certificate | None,
    indexes: tuple[RevocationIndex, ...],
    required: bool,
    at: datetime,
) -> Check:
    index = _newest(indexes, cert, issuer=issuer)
    ca = short(issuer_of(cert))
    if index is None:
        if required:
            return _undecided(f"no CRL of «{ca}» is configured, and the policy requires one")
        return Check(CheckCode.REVOCATION, Outcome.SKIPPED, f"no CRL of «{ca}» is configured")
    crl = f"the CRL of «{ca}» issued {index.this_update:%Y-%m-%d %H:%M} UTC"
    entry = index.lookup(cert.serial_number)
    if entry and entry.revoked_at <= at:
        since = f"{entry.revoked_at:%Y-%m-%d %H:%M} UTC"
        if entry.reason is x509.ReasonFlags.certificate_hold:
            # A hold is a suspension the CA may still lift or turn into a revocation.
            return _undecided(f"suspended (certificateHold) since {since} according to {crl}")
        return Check(
            CheckCode.REVOCATION,
            Outcome.FAILED,
            f"revoked on {since} (reason: {entry.reason_name}) according to {crl}",
            SubIndication.REVOKED,
        )
    if index.is_stale(at=at):
        return _undecided(
            f"{crl} was due to be replaced at {index.next_update:%Y-%m-%d %H:%M} UTC, before "
            f"{at:%Y-%m-%d %H:%M} UTC; a fresh CRL is needed to tell"
        )
    if cert.not_valid_after_utc < index.this_update:
        # CAs drop certificates from their CRLs once expired, so a CRL issued after the
        # certificate's expiry says nothing by not listing it.
        return _undecided(
            f"{crl} postdates the certificate's expiry "
            f"({cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC); its silence proves nothing"
        )
    if entry:
        return Check(
            CheckCode.REVOCATION,
            Outcome.PASSED,
            f"not revoked at {at:%Y-%m-%d %H:%M} UTC; revoked later, on "
            f"{entry.revoked_at:%Y-%m-%d %H:%M} UTC (reason: {entry.reason_name})",
        )
    return Check(
        CheckCode.REVOCATION,
        Outcome.PASSED,
        f"not listed in {crl} (next update {index.next_update:%Y-%m-%d %H:%M} UTC)",
    )


def _newest(
    indexes: tuple[RevocationIndex, ...],
    cert: x509.Certificate,
    *,
    issuer: x509.Certificate | None,
) -> RevocationIndex | None:
    # The newest CRL wins: it may have lifted a hold an older one still lists.
    covering = [i for i in indexes if i.covers(cert, issuer=issuer)]
    return max(covering, key=lambda i: i.this_update, default=None)


def _signing_ca(
    crl: x509.CertificateRevocationList, tbs: memoryview, *, issuers: Iterable[x509.Certificate],
    label: str
) -> x509.Certificate:
    named = [c for c in issuers if subject_of(c) == issuer_of(crl)]
    if not named:
        raise ConfigurationError(
            f"{label}: its issuer «{short(issuer_of(crl))}» is not a configured CA"
        )
    for candidate in named:
        try:
            verified = crl_signed_by(crl, candidate, tbs=tbs)
        except UnsupportedAlgorithm as error:
            raise ConfigurationError(
                f"{label}: its signature ({crl.signature_algorithm_oid.dotted_string}) "
                "cannot be verified here, so it cannot be used"
            ) from error
        if verified:
            if not _may_sign_crls(candidate):
                raise ConfigurationError(
                    f"{label}: «{short(issuer_of(crl))}» has no cRLSign key usage"
                )
            return candidate
    raise ConfigurationError(
        f"{label}: the signature does not verify with the key of «{short(issuer_of(crl))}»; "
        "the file is damaged or forged and will not be used"
    )


def _scope(crl: x509.CertificateRevocationList, *, label: str) -> _Scope:
    """Which certificates the CRL speaks for. A delta CRL, an indirect one or one limited to
    some reasons lists only part of the revocations: indexed as a whole list, it would
    clear certificates it never speaks about, so it is refused."""
    if extension_value(crl, x509.DeltaCRLIndicator) is not None:
        raise ConfigurationError(f"{label}: a delta CRL; configure the full CRL instead")
    point = extension_value(crl, x509.IssuingDistributionPoint)
    if point is None:
        return _Scope()
    if point.indirect_crl or point.only_some_reasons or point.only_contains_attribute_certs:
        raise ConfigurationError(
            f"{label}: lists only some revocations (issuingDistributionPoint: indirect or "
            "limited to some reasons); configure the CA's full CRL instead"
        )
    if point.relative_name is not None:
        raise ConfigurationError(
            f"{label}: a partition named relative to its issuer, which we cannot match "
            "to certificates; configure the CA's full CRL instead"
        )
    return _Scope(
        user_certs=not point.only_contains_ca_certs,
        ca_certs=not point.only_contains_user_certs,
        distribution_points=frozenset(point.full_name or ()),
    )


def _may_sign_crls(ca: x509.Certificate) -> bool:
    usage = extension_value(ca, x509.KeyUsage)
    return usage is None or usage.crl_sign


def _is_ca(cert: x509.Certificate) -> bool:
    constraints = extension_value(cert, x509.BasicConstraints)
    return constraints is not None and constraints.ca


def _distribution_points(cert: x509.Certificate) -> frozenset[x509.GeneralName]:
    points = extension_value(cert, x509.CRLDistributionPoints) or ()
    return frozenset(name for point in points for name in (point.full_name or ()))


def _same_key(a: x509.Certificate, b: x509.Certificate) -> bool:
    if a == b:
        return True
    key_a, key_b = _spki(a), _spki(b)
    return key_a is not None and key_a == key_b


def _spki(cert: x509.Certificate) -> bytes | None:
    if gost.is_gost_certificate(cert):
        try:
            return gost.public_key_from_certificate(cert).spki_der()
        except ValueError:
            return None
    try:
        return cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (UnsupportedAlgorithm, ValueError):
        return None


def _read(source: str | os.PathLike[str] | bytes, *, label: str) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise ConfigurationError(f"{label}: cannot read ({error.strerror})") from error


def _undecided(detail: str) -> Check:
    return Check(CheckCode.REVOCATION, Outcome.INDETERMINATE, detail, SubIndication.TRY_LATER)


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the moment of checking must be timezone-aware")
    return at.astimezone(UTC)
