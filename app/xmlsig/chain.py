"""A path from a signer's certificate to one of our trust anchors, as of the receipt time.

One validator for RSA and GOST chains alike. We build and check the path ourselves, and only
the signature check of each link is dispatched by algorithm (``signed_by``): cryptography
for RSA and EC, ``app.xmlsig.gost`` for GOST 34.10-2015. cryptography's own RFC 5280
validator (``x509.verification``), which we used before, cannot be given a GOST key or a
signature callback, so it would have had to stay for RSA beside a second validator for
GOST: two rule sets that drift. Instead its Web PKI rules that matter here are written out
in ``pathrules``, for both families, and tests/xmlsig/test_gost_chain.py runs
cryptography's validator beside ours on RSA chains (the NCA's and generated edge cases)
to show the verdicts agree.

We choose what goes in: the self-signed anchors of the policy (an issuing CA is never
trusted on its own, even when someone lists it as an anchor) and its intermediates. The
walk goes up by issuer name, trying the same-named candidates valid at the moment first
(a CA re-issued under the same name), and a link holds when:

* its signature verifies with the candidate's key (RSA with RSA, GOST with GOST: a GOST
  chain never reaches an RSA anchor, nor the other way round);
* the candidate was valid at the moment, is a v3 certificate, and is a CA: basicConstraints
  present, critical, cA set, its pathLenConstraint not exceeded; key usage present with
  keyCertSign; authority key identifier, extended key usage and authority information
  access (if present) non-critical;
* no certificate on the path carries a critical extension we do not process;
* the signature algorithm is one we accept (RSA PKCS#1 v1.5 or PSS and ECDSA with SHA-2,
  GOST 34.10-2015 512 with Streebog-512) and the key is strong enough (RSA 2048 bit or
  more, ECDSA P-256/384/521, GOST 512).

The signer must have an authority key identifier and must not be a CA (basicConstraints cA,
keyCertSign); a trust anchor passes the same CA rules. Two Web PKI rules are *not* kept,
found by validating the NCA's real fixtures: extended key usage clientAuth (NCA *signing*
certificates carry emailProtection plus the NCA holder OIDs; the key's purpose is checked
separately by ``certificates.check_key_purpose``) and subjectAltName (an NCA signer is named
in the subject DN, IIN in serialNumber). We do not process nameConstraints (no NCA CA has
them): a CA marking them critical is refused as carrying an unknown critical extension.
4-byte key identifiers and authorityCertIssuer/serial in the CAs' AKIs are accepted.

An algorithm we cannot check at all (GOST 34.310-2004) makes the chain INDETERMINATE:
FAILED would call a possibly sound citizen's signature forged, PASSED would vouch for
signatures nobody checked. Results of signature checks are cached per certificate pair,
so a configured CA's signature is checked once, not once per document.
"""

from __future__ import annotations

import functools
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from app.xmlsig.names import issuer_of, readable, short, subject_of
from app.xmlsig.pathrules import (
    algorithm_name,
    ca_rules,
    certificate_rules,
    signature_algorithm_accepted,
    signature_rules,
    signed_by,
    signer_rules,
)
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Check, CheckCode, Outcome, SubIndication

__all__ = ["ChainResult", "build_chain", "is_self_signed", "not_self_signed", "signed_by"]

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
    #: the path may well be sound, but we cannot check its signatures (GOST 34.310-2004)
    undecidable: bool = False
    #: only a same-named CA whose key did not make the signature: another candidate's
    #: reason, if any, tells more
    mismatch: bool = False


def build_chain(cert: x509.Certificate, *, policy: TrustPolicy, at: datetime) -> ChainResult:
    """The path from ``cert`` to a self-signed anchor of ``policy`` through its
    intermediates, valid at ``at`` (timezone-aware; a naive one is a ValueError).

    A path found is kept per process for this policy (the same object: a reloaded trust
    store is a new one) and this certificate, and given again for any moment every
    certificate on it is valid at; anything else is worked out every time."""
    at = _utc(at)
    found = _PATHS.get(policy, cert, at)
    if found is None:
        found = _build_chain(cert, policy=policy, at=at)
        _PATHS.keep(policy, cert, found, at)
    return found


class _PathCache:
    """Paths found, per policy object and signer certificate, with the span they hold in.
    Many documents come from the same few thousand signers; their path is built once."""

    #: signers kept per policy; past it the oldest half is forgotten
    LIMIT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: id(policy) → (a weak reference to it, {certificate: (result, from, to)})
        self._by_policy: dict[int, tuple[weakref.ref, dict]] = {}

    def get(self, policy: TrustPolicy, cert: x509.Certificate, at: datetime
            ) -> ChainResult | None:
        entry = self._by_policy.get(id(policy))
        if entry is None or entry[0]() is not policy:
            return None
        kept = entry[1].get(cert)
        if kept is None or not kept[1] <= at <= kept[2]:
            return None
        return kept[0]

    def keep(self, policy: TrustPolicy, cert: x509.Certificate, found: ChainResult,
             at: datetime) -> None:
        if found.check.outcome is not Outcome.PASSED:
            return
        start = max(c.not_valid_before_utc for c in found.path)
        end = min(c.not_valid_after_utc for c in found.path)
        if not start <= at <= end:  # checked as of another moment: said in the detail
            return
        with self._lock:
            entry = self._by_policy.get(id(policy))
            if entry is None or entry[0]() is not policy:
                key = id(policy)
                entry = (weakref.ref(policy, functools.partial(self._forget, key)), {})
                self._by_policy[key] = entry
            paths = entry[1]
            if len(paths) >= self.LIMIT:
                for old in list(paths)[: self.LIMIT // 2]:
                    del paths[old]
            paths[cert] = (found, start, end)

    def _forget(self, key: int, _gone: object = None) -> None:
        with self._lock:
            entry = self._by_policy.get(key)
            if entry is not None and entry[0]() is None:
                del self._by_policy[key]


_PATHS = _PathCache()


def _build_chain(cert: x509.Certificate, *, policy: TrustPolicy, at: datetime) -> ChainResult:
    anchors = tuple(a for a in policy.anchors if is_self_signed(a))
    misplaced = tuple(a for a in policy.anchors if a not in anchors)
    if not anchors:
        return _no_path(_no_anchor_reason(misplaced))
    # An expired (or not yet valid) signer is CERTIFICATE_VALIDITY's finding. Here we ask
    # whether the path exists, so we look at the last moment the signer was valid;
    # otherwise an expired certificate would be reported as "no chain" and hide the reason.
    moment = min(max(at, cert.not_valid_before_utc), cert.not_valid_after_utc)
    walk = _Walk(anchors=anchors, intermediates=policy.intermediates, misplaced=misplaced,
                 at=moment)
    found = walk.from_signer(cert)
    if isinstance(found, _Finding):
        if found.undecidable:
            return ChainResult(
                Check(
                    CheckCode.CERTIFICATE_CHAIN,
                    Outcome.INDETERMINATE,
                    found.reason,
                    SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
                )
            )
        return _no_path(found.reason)
    detail = " → ".join(f"«{short(subject_of(c))}»" for c in found)
    if moment != at:
        detail += f" (checked as of {moment:%Y-%m-%d %H:%M} UTC, when the certificate was valid)"
    return ChainResult(Check(CheckCode.CERTIFICATE_CHAIN, Outcome.PASSED, detail), found)


def is_self_signed(cert: x509.Certificate) -> bool:
    """Issued by itself and signed with its own key.

    A root whose signature algorithm we cannot check (GOST 34.310-2004) counts as
    self-signed on its names, which is safe: no path through it can be validated either.
    """
    return not_self_signed(cert) is None


def not_self_signed(cert: x509.Certificate) -> str | None:
    """Why ``cert`` is no self-signed root, or None when it is one (see ``is_self_signed``).

    A root that names itself as issuer but is signed with an algorithm we refuse (SHA-1,
    MD5, DSA-SHA1: cryptography will not even verify those) is refused for its algorithm,
    which is named: calling it "not self-signed" sent administrators looking for a
    missing issuer.
    """
    name = f"«{short(subject_of(cert))}»"
    if subject_of(cert) != issuer_of(cert):
        return f"{name} is not self-signed (issued by «{short(issuer_of(cert))}»)"
    try:
        if signed_by(cert, cert):
            return None
    except UnsupportedAlgorithm:
        return None
    if not signature_algorithm_accepted(cert):
        return (f"the root's signature algorithm {algorithm_name(cert)} is not accepted "
                f"({name})")
    return f"{name} names itself as its issuer, but its signature does not verify with its key"


class _Walk:
    """One search up from a signer; remembers the first reason a link broke."""

    def __init__(self, *, anchors, intermediates, misplaced, at: datetime) -> None:
        self.anchors: tuple[x509.Certificate, ...] = anchors
        self.intermediates: tuple[x509.Certificate, ...] = intermediates
        self.misplaced: tuple[x509.Certificate, ...] = misplaced
        self.at = at

    def from_signer(self, cert: x509.Certificate) -> tuple[x509.Certificate, ...] | _Finding:
        reason = certificate_rules(cert) or signer_rules(cert)
        if reason:
            return _Finding(reason)
        return self._up((cert,))

    def _up(self, path: tuple[x509.Certificate, ...]) -> tuple[x509.Certificate, ...] | _Finding:
        current = path[-1]
        wanted = issuer_of(current)
        candidates = sorted(
            (c for c in self.anchors + self.intermediates
             if subject_of(c) == wanted and c not in path),
            key=lambda c: not c.not_valid_before_utc <= self.at <= c.not_valid_after_utc,
        )
        if not candidates:
            return _Finding(_missing_issuer_reason(current, wanted, self.misplaced))
        findings: list[_Finding] = []
        for candidate in candidates:
            outcome = self._link(path, candidate)
            if not isinstance(outcome, _Finding):
                return outcome
            findings.append(outcome)
        # an uncheckable signature first, then what broke past a verified signature
        return min(findings, key=lambda f: (not f.undecidable, f.mismatch))

    def _link(
        self, path: tuple[x509.Certificate, ...], candidate: x509.Certificate
    ) -> tuple[x509.Certificate, ...] | _Finding:
        current = path[-1]
        try:
            verified = signed_by(current, candidate)
        except UnsupportedAlgorithm:
            return _Finding(
                f"the signature on «{short(subject_of(current))}» uses "
                f"{current.signature_algorithm_oid.dotted_string}, which this validator "
                "cannot check (GOST 34.310-2004): the chain can be neither confirmed nor "
                "refuted",
                undecidable=True,
            )
        if not verified:
            return _Finding(
                f"the signature on «{short(subject_of(current))}» does not verify with the key "
                f"of the configured «{short(subject_of(candidate))}»",
                mismatch=True,
            )
        name = short(subject_of(candidate))
        if not candidate.not_valid_before_utc <= self.at <= candidate.not_valid_after_utc:
            return _Finding(
                f"the CA «{name}» was not valid at {self.at:%Y-%m-%d %H:%M} UTC "
                f"(valid {candidate.not_valid_before_utc:%Y-%m-%d} to "
                f"{candidate.not_valid_after_utc:%Y-%m-%d})"
            )
        # intermediates below the candidate, the signer not counted (RFC 5280 4.2.1.9)
        below = len(path) - 1
        reason = signature_rules(current) or certificate_rules(candidate) or ca_rules(
            candidate, below=below
        )
        if reason:
            return _Finding(reason)
        if candidate in self.anchors:
            return (*path, candidate)
        if below >= MAX_INTERMEDIATES:
            return _Finding(f"more than {MAX_INTERMEDIATES} intermediate CAs")
        return self._up((*path, candidate))


def _missing_issuer_reason(
    cert: x509.Certificate, wanted: x509.Name, misplaced: tuple[x509.Certificate, ...]
) -> str:
    for anchor in misplaced:
        if subject_of(anchor) != wanted:
            continue
        if subject_of(anchor) == issuer_of(anchor):
            return f"«{short(wanted)}» is configured as a trust anchor but refused: " + (
                not_self_signed(anchor) or "")
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
    if not misplaced:
        return "no trust anchor is configured"
    # roots refused for their own signature, each with its reason; then issuing CAs
    roots = [not_self_signed(m) for m in misplaced if subject_of(m) == issuer_of(m)]
    cas = [m for m in misplaced if subject_of(m) != issuer_of(m)]
    reasons = [r for r in roots if r]
    if cas:
        names = ", ".join(f"«{short(subject_of(m))}»" for m in cas)
        reasons.append(f"{names} is not self-signed and an issuing CA is never trusted on "
                       "its own")
    return "no self-signed trust anchor is configured; " + "; ".join(reasons)


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
