"""A path from a signer's certificate to one of our trust anchors, as of the receipt time.

cryptography's RFC 5280 path validator builds and checks the path; we only choose what goes
in: the self-signed anchors of the policy (an issuing CA is never trusted on its own, even
when someone lists it as an anchor) and its intermediates, and the extension rules below.
When it finds no path we walk the configured certificates ourselves to say why in words.

What we had to relax for the NCA's certificates, found by validating the real fixtures
(keys/*.p12, signed/*.xml against ca/*.pem) with cryptography's defaults:

* extended key usage on the signer: the client verifier demands clientAuth, which NCA
  *signing* certificates never carry (they have emailProtection plus the NCA holder OIDs);
  we validate document signers, not TLS clients, and check the key's purpose separately
  (``certificates.check_key_purpose``).
* subjectAltName on the signer: the Web PKI profile requires one, because a TLS client is
  named there; an NCA signer is named in the subject DN (IIN in serialNumber) and has none.

Nothing else needed relaxing, so the rest stays cryptography's Web PKI profile: every NCA
CA (test and former production, RSA chains) has critical basicConstraints and a key usage
with keyCertSign, every signer an authority key identifier (4-byte key identifiers and
authorityCertIssuer/serial in the CAs' AKIs are accepted as they are). So a CA with
non-critical basicConstraints or without key usage, or a signer without an authority key
identifier, is still refused; tests/xmlsig/test_chain.py pins each of these down.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.x509.verification import (
    ClientVerifier,
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from app.xmlsig.names import issuer_of, readable, short, subject_of, tolerant_names
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Check, CheckCode, Outcome, SubIndication

#: more than the NCA's root → issuing CA → signer, less than a loop
MAX_INTERMEDIATES = 4


@dataclass(frozen=True, slots=True)
class ChainResult:
    check: Check
    #: signer first, trust anchor last; empty when no path was found
    path: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True, slots=True)
class _Finding:
    reason: str
    #: the path may well be sound, but we cannot check its signatures (GOST)
    undecidable: bool = False


def build_chain(cert: x509.Certificate, *, policy: TrustPolicy, at: datetime) -> ChainResult:
    """The path from ``cert`` to a self-signed anchor of ``policy`` through its
    intermediates, valid at ``at`` (timezone-aware; a naive one is a ValueError)."""
    at = _utc(at)
    anchors = tuple(a for a in policy.anchors if is_self_signed(a))
    misplaced = tuple(a for a in policy.anchors if a not in anchors)
    if not anchors:
        return _no_path(_no_anchor_reason(misplaced))
    # An expired (or not yet valid) signer is CERTIFICATE_VALIDITY's finding. Here we ask
    # whether the path exists, so we look at the last moment the signer was valid;
    # otherwise an expired certificate would be reported as "no chain" and hide the reason.
    moment = min(max(at, cert.not_valid_before_utc), cert.not_valid_after_utc)
    try:
        with tolerant_names():
            verified = _verifier(anchors, moment).verify(cert, list(policy.intermediates))
    except VerificationError as error:
        finding = _explain(
            cert,
            anchors=anchors,
            intermediates=policy.intermediates,
            misplaced=misplaced,
            at=moment,
        ) or _Finding(_validator_reason(error))
        if finding.undecidable:
            # FAILED would call a possibly sound citizen's signature forged, PASSED would
            # vouch for signatures nobody checked: we can only say we cannot tell.
            return ChainResult(
                Check(
                    CheckCode.CERTIFICATE_CHAIN,
                    Outcome.INDETERMINATE,
                    finding.reason,
                    SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
                )
            )
        return _no_path(finding.reason)
    path = tuple(verified.chain)
    detail = " → ".join(f"«{short(subject_of(c))}»" for c in path)
    if moment != at:
        detail += f" (checked as of {moment:%Y-%m-%d %H:%M} UTC, when the certificate was valid)"
    return ChainResult(Check(CheckCode.CERTIFICATE_CHAIN, Outcome.PASSED, detail), path)


def is_self_signed(cert: x509.Certificate) -> bool:
    """Issued by itself and signed with its own key.

    A GOST root's signature cannot be checked here; it counts as self-signed on its names,
    which is safe because no path through it can be validated either.
    """
    if subject_of(cert) != issuer_of(cert):
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except UnsupportedAlgorithm:
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


@functools.cache
def _extension_policies() -> tuple[ExtensionPolicy, ExtensionPolicy]:
    # See the module docstring for why exactly these two are relaxed.
    ca = ExtensionPolicy.webpki_defaults_ca()
    ee = (
        ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
        .may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
    )
    return ca, ee


def _verifier(anchors: tuple[x509.Certificate, ...], moment: datetime) -> ClientVerifier:
    ca, ee = _extension_policies()
    return (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(moment)
        .max_chain_depth(MAX_INTERMEDIATES)
        .extension_policies(ca_policy=ca, ee_policy=ee)
        .build_client_verifier()
    )


def _explain(
    cert: x509.Certificate,
    *,
    anchors: tuple[x509.Certificate, ...],
    intermediates: tuple[x509.Certificate, ...],
    misplaced: tuple[x509.Certificate, ...],
    at: datetime,
) -> _Finding | None:
    """Walk up by issuer name to find the first link that breaks; None if none does."""
    current = cert
    for _ in range(MAX_INTERMEDIATES + 1):
        wanted = issuer_of(current)
        # a CA certificate re-issued under the same name and key: try the valid one first
        candidates = sorted(
            (c for c in anchors + intermediates if subject_of(c) == wanted),
            key=lambda c: not c.not_valid_before_utc <= at <= c.not_valid_after_utc,
        )
        if not candidates:
            return _Finding(_missing_issuer_reason(current, wanted, misplaced))
        issuer = None
        for candidate in candidates:
            try:
                current.verify_directly_issued_by(candidate)
            except UnsupportedAlgorithm:
                return _Finding(
                    f"the signature on «{short(subject_of(current))}» uses "
                    f"{current.signature_algorithm_oid.dotted_string}, which this validator "
                    "cannot check (GOST): the chain can be neither confirmed nor refuted",
                    undecidable=True,
                )
            except (InvalidSignature, ValueError, TypeError):
                continue
            issuer = candidate
            break
        if issuer is None:
            return _Finding(
                f"the signature on «{short(subject_of(current))}» does not verify with the key "
                f"of the configured «{short(wanted)}»"
            )
        if not issuer.not_valid_before_utc <= at <= issuer.not_valid_after_utc:
            return _Finding(
                f"the CA «{short(wanted)}» was not valid at {at:%Y-%m-%d %H:%M} UTC "
                f"(valid {issuer.not_valid_before_utc:%Y-%m-%d} to "
                f"{issuer.not_valid_after_utc:%Y-%m-%d})"
            )
        if issuer in anchors:
            return None
        current = issuer
    return None


def _missing_issuer_reason(
    cert: x509.Certificate, wanted: x509.Name, misplaced: tuple[x509.Certificate, ...]
) -> str:
    if any(subject_of(m) == wanted for m in misplaced):
        return (
            f"«{short(wanted)}» is configured as a trust anchor but is not self-signed: "
            "an issuing CA is never trusted on its own; configure it as an intermediate "
            "and its root as the anchor"
        )
    return (
        f"the issuer of «{short(subject_of(cert))}», «{readable(wanted)}», is neither a "
        "configured trust anchor nor a configured intermediate"
    )


def _no_anchor_reason(misplaced: tuple[x509.Certificate, ...]) -> str:
    if misplaced:
        names = ", ".join(f"«{short(subject_of(m))}»" for m in misplaced)
        return (
            f"no self-signed trust anchor is configured; {names} is not self-signed and an "
            "issuing CA is never trusted on its own"
        )
    return "no trust anchor is configured"


def _validator_reason(error: VerificationError) -> str:
    # The validator's message ends with a repr of the certificate it was processing, which
    # repeats what the report already shows; keep the reason.
    message = re.sub(r"\s*\(encountered processing <Certificate.*$", "", str(error), flags=re.S)
    return f"path validation failed: {message}"


def _no_path(reason: str) -> ChainResult:
    # ETSI EN 319 102-1 files NO_CERTIFICATE_CHAIN_FOUND under INDETERMINATE, as a validator
    # elsewhere might hold the missing certificates. Here the configuration is the state
    # body's own word on whom it trusts, so no path to it is a final answer: FAILED.
    return ChainResult(
        Check(
            CheckCode.CERTIFICATE_CHAIN,
            Outcome.FAILED,
            f"no path to a trust anchor: {reason}",
            SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
        )
    )


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the moment of checking must be timezone-aware")
    return at.astimezone(UTC)
