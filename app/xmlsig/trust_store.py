"""Building the trust policy from certificate and CRL files, refusing what cannot be right.

Called at start-up and again by the job that refreshes CRLs; each call reads everything
afresh and returns a new frozen ``TrustPolicy`` (nothing here keeps state). Every problem
is a ``ConfigurationError`` naming the file and what is wrong with it, so a misconfigured
trust store stops the application at start rather than failing signatures later.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.xmlsig.chain import is_self_signed, not_self_signed
from app.xmlsig.errors import ConfigurationError
from app.xmlsig.names import extension_value, issuer_of, short, subject_of
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.revocation import RevocationIndex, index_crl, read_crls

Source = str | os.PathLike[str] | bytes

_PEM_CERTIFICATE = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def load_policy(
    *,
    anchors: Iterable[Source],
    intermediates: Iterable[Source] = (),
    crls: Iterable[Source] = (),
    crl_index_dir: Path | None = None,
    **options: Any,
) -> TrustPolicy:
    """A policy trusting the self-signed roots in ``anchors``, building paths through the
    issuing CAs in ``intermediates``, with the ``crls`` verified and indexed.

    ``crl_index_dir`` keeps each CRL's serial index as files every process of the machine
    shares (``crlindex``); without it the index is built in memory.
    ``options`` are the remaining ``TrustPolicy`` fields (``revocation_required``, …).
    """
    roots = _unique(_load_all(anchors, role="trust anchor", check=_check_anchor))
    if not roots:
        raise ConfigurationError("no trust anchor configured: every signature would fail")
    cas = _unique(_load_all(intermediates, role="intermediate", check=_check_intermediate))
    indexes: list[RevocationIndex] = []
    for position, source in enumerate(_sources(crls, role="CRL"), 1):
        label = _label(source, role="CRL", position=position)
        for crl, der in read_crls(source, label=label):
            indexes.append(index_crl(crl, issuers=roots + cas, label=label,
                                     index_dir=crl_index_dir, der=der))
    return TrustPolicy(anchors=roots, intermediates=cas, crls=tuple(indexes), **options)


def load_certificates(source: Source, *, label: str | None = None) -> tuple[x509.Certificate, ...]:
    """The certificates in a DER file, or in a PEM file holding one or more, or their bytes.

    ``label`` names the source in error messages (default: "certificate <path>").
    """
    name = label or _label(source, role="certificate", position=None)
    data = _read(source, name=name)
    try:
        if b"-----BEGIN" in data:
            blocks = _PEM_CERTIFICATE.findall(data)
            if not blocks:
                raise ConfigurationError(f"{name}: PEM without a CERTIFICATE block")
            return tuple(x509.load_pem_x509_certificate(block) for block in blocks)
        return (x509.load_der_x509_certificate(data),)
    except ValueError as error:
        raise ConfigurationError(f"{name}: not a readable certificate ({error})") from error


def _load_all(sources: Iterable[Source], *, role: str, check) -> list[x509.Certificate]:
    loaded = []
    for position, source in enumerate(_sources(sources, role=role), 1):
        name = _label(source, role=role, position=position)
        for cert in load_certificates(source, label=name):
            check(cert, name=name)
            loaded.append(cert)
    return loaded


def _check_anchor(cert: x509.Certificate, *, name: str) -> None:
    reason = not_self_signed(cert)
    if reason and subject_of(cert) == issuer_of(cert):
        # it names itself as issuer: a root refused for its own signature, said so
        raise ConfigurationError(f"{name}: {reason}; a trust anchor must be a root signed "
                                 "with an accepted algorithm")
    if reason:
        raise ConfigurationError(
            f"{name}: «{short(subject_of(cert))}» is not self-signed (issued by "
            f"«{short(issuer_of(cert))}»); an issuing CA is never a trust anchor: list it "
            "under intermediates and its root as the anchor"
        )
    _check_ca(cert, name=name)


def _check_intermediate(cert: x509.Certificate, *, name: str) -> None:
    if is_self_signed(cert):
        # A root among the intermediates would look trusted to a reader of the
        # configuration while never being used as one; say so instead.
        raise ConfigurationError(
            f"{name}: «{short(subject_of(cert))}» is a self-signed root; list it under "
            "anchors if it is to be trusted"
        )
    _check_ca(cert, name=name)


def _check_ca(cert: x509.Certificate, *, name: str) -> None:
    constraints = extension_value(cert, x509.BasicConstraints)
    if constraints is None or not constraints.ca:
        raise ConfigurationError(
            f"{name}: «{short(subject_of(cert))}» is not a CA (basicConstraints cA is not set)"
        )
    usage = extension_value(cert, x509.KeyUsage)
    if usage is not None and not usage.key_cert_sign:
        raise ConfigurationError(
            f"{name}: «{short(subject_of(cert))}» may not sign certificates (no keyCertSign)"
        )


def _unique(certs: list[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    # the same CA in two bundles is common and harmless; keep the first
    seen: dict[bytes, x509.Certificate] = {}
    for cert in certs:
        seen.setdefault(cert.fingerprint(hashes.SHA256()), cert)
    return tuple(seen.values())


def _sources(sources: Iterable[Source], *, role: str) -> list[Source]:
    if isinstance(sources, (str, bytes, os.PathLike)):
        # one path passed where a list was meant would be read letter by letter
        raise TypeError(
            f"{role} sources must be a list of paths or bytes, not one {type(sources).__name__}"
        )
    return list(sources)


def _label(source: Source, *, role: str, position: int | None) -> str:
    if isinstance(source, bytes):
        return f"{role} #{position}" if position else role
    return f"{role} {os.fspath(source)}"


def _read(source: Source, *, name: str) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise ConfigurationError(f"{name}: cannot read ({error.strerror})") from error
