"""The verification report: what was checked, with what outcome, and the verdict.

Indications and sub-indications follow ETSI EN 319 102-1 (as EU DSS names them), so a
verdict means the same thing here as in any European validation service. A report is
frozen and serialises to plain JSON for storage; the clerk's desk renders it in words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any


class Indication(enum.StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    INDETERMINATE = "INDETERMINATE"

    @property
    def rank(self) -> int:
        """Higher is worse: the overall verdict is the worst of its parts."""
        return {"PASSED": 0, "INDETERMINATE": 1, "FAILED": 2}[self.value]


class SubIndication(enum.StrEnum):
    FORMAT_FAILURE = "FORMAT_FAILURE"
    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    CERTIFICATE_CHAIN_GENERAL_FAILURE = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    TRY_LATER = "TRY_LATER"
    REVOCATION_OUT_OF_BOUNDS_NO_POE = "REVOCATION_OUT_OF_BOUNDS_NO_POE"


class Outcome(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    #: could not be decided with the information at hand (e.g. a stale CRL)
    INDETERMINATE = "indeterminate"
    #: not applicable or not configured; never lowers the verdict
    SKIPPED = "skipped"


class CheckCode(enum.StrEnum):
    """Every check the verifier can run, in the order a reader expects them."""

    WELL_FORMED = "well_formed"
    SCHEMA = "schema"
    SIGNATURE_PRESENT = "signature_present"
    SIGNATURE_SHAPE = "signature_shape"
    ALGORITHMS = "algorithms"
    REFERENCE_COVERS_DOCUMENT = "reference_covers_document"
    DIGEST = "digest"
    SIGNATURE_VALUE = "signature_value"
    CERTIFICATE_PRESENT = "certificate_present"
    CERTIFICATE_CHAIN = "certificate_chain"
    CERTIFICATE_VALIDITY = "certificate_validity"
    REVOCATION = "revocation"
    KEY_PURPOSE = "key_purpose"
    SIGNER_IS_AUTHOR = "signer_is_author"
    SIGNER_AUTHORITY = "signer_authority"


@dataclass(frozen=True, slots=True)
class Check:
    code: CheckCode
    outcome: Outcome
    #: a short technical explanation in English; the UI renders the code in the user's language
    detail: str = ""
    #: the sub-indication this check forces on the verdict when it does not pass
    sub_indication: SubIndication | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "outcome": self.outcome.value,
            "detail": self.detail,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        sub = data.get("sub_indication")
        return cls(
            code=CheckCode(data["code"]),
            outcome=Outcome(data["outcome"]),
            detail=data.get("detail", ""),
            sub_indication=SubIndication(sub) if sub else None,
        )


class HolderKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    LEGAL_ENTITY = "legal_entity"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """What a clerk needs to know about a signer's certificate, as plain values."""

    subject: str
    issuer: str
    serial_number: str  # hex, upper case
    not_before: datetime
    not_after: datetime
    common_name: str = ""
    surname: str = ""
    given_name: str = ""  # NCA certificates keep the patronymic in givenName
    iin: str | None = None
    bin: str | None = None
    organization: str | None = None
    holder: HolderKind = HolderKind.UNKNOWN
    #: roles from the NCA extended key usages, e.g. "first_head", "may_sign"
    roles: tuple[str, ...] = ()
    key_usage: tuple[str, ...] = ()
    extended_key_usage: tuple[str, ...] = ()
    #: human-readable, e.g. "RSA 2048 bit"
    key_algorithm: str = ""
    sha256_fingerprint: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial_number": self.serial_number,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "common_name": self.common_name,
            "surname": self.surname,
            "given_name": self.given_name,
            "iin": self.iin,
            "bin": self.bin,
            "organization": self.organization,
            "holder": self.holder.value,
            "roles": list(self.roles),
            "key_usage": list(self.key_usage),
            "extended_key_usage": list(self.extended_key_usage),
            "key_algorithm": self.key_algorithm,
            "sha256_fingerprint": self.sha256_fingerprint,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CertificateInfo:
        return cls(
            subject=data["subject"],
            issuer=data["issuer"],
            serial_number=data["serial_number"],
            not_before=datetime.fromisoformat(data["not_before"]),
            not_after=datetime.fromisoformat(data["not_after"]),
            common_name=data.get("common_name", ""),
            surname=data.get("surname", ""),
            given_name=data.get("given_name", ""),
            iin=data.get("iin"),
            bin=data.get("bin"),
            organization=data.get("organization"),
            holder=HolderKind(data.get("holder", "unknown")),
            roles=tuple(data.get("roles", ())),
            key_usage=tuple(data.get("key_usage", ())),
            extended_key_usage=tuple(data.get("extended_key_usage", ())),
            key_algorithm=data.get("key_algorithm", ""),
            sha256_fingerprint=data.get("sha256_fingerprint", ""),
        )


def verdict_of(checks: tuple[Check, ...]) -> tuple[Indication, SubIndication | None]:
    """The worst outcome among the checks decides; its first sub-indication names why."""
    indication = Indication.PASSED
    sub: SubIndication | None = None
    for check in checks:
        if check.outcome is Outcome.FAILED:
            candidate = Indication.FAILED
        elif check.outcome is Outcome.INDETERMINATE:
            candidate = Indication.INDETERMINATE
        else:
            continue
        if candidate.rank > indication.rank:
            indication, sub = candidate, check.sub_indication
        elif candidate is indication and sub is None:
            sub = check.sub_indication
    return indication, sub


@dataclass(frozen=True, slots=True)
class SignatureReport:
    """The checks of one ds:Signature; index 0 is the outermost (last applied) signature."""

    index: int
    checks: tuple[Check, ...]
    #: human-readable algorithm, e.g. "RSA-SHA256"
    algorithm: str = ""
    signer: CertificateInfo | None = None

    @property
    def indication(self) -> Indication:
        return verdict_of(self.checks)[0]

    @property
    def sub_indication(self) -> SubIndication | None:
        return verdict_of(self.checks)[1]

    def with_check(self, check: Check) -> SignatureReport:
        kept = tuple(c for c in self.checks if c.code is not check.code)
        return replace(self, checks=kept + (check,))

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "algorithm": self.algorithm,
            "indication": self.indication.value,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
            "checks": [c.to_dict() for c in self.checks],
            "signer": self.signer.to_dict() if self.signer else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureReport:
        return cls(
            index=data["index"],
            algorithm=data.get("algorithm", ""),
            checks=tuple(Check.from_dict(c) for c in data["checks"]),
            signer=CertificateInfo.from_dict(data["signer"]) if data.get("signer") else None,
        )


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """The whole verdict on one document.

    ``document_checks`` are those about the document as a whole (well-formedness, schema,
    presence of a signature); ``signatures`` hold one report per ds:Signature, outermost first.
    """

    checked_at: datetime
    document_checks: tuple[Check, ...] = ()
    signatures: tuple[SignatureReport, ...] = field(default_factory=tuple)

    @property
    def all_checks(self) -> tuple[Check, ...]:
        return self.document_checks + tuple(c for s in self.signatures for c in s.checks)

    @property
    def indication(self) -> Indication:
        return verdict_of(self.all_checks)[0]

    @property
    def sub_indication(self) -> SubIndication | None:
        return verdict_of(self.all_checks)[1]

    @property
    def signer(self) -> CertificateInfo | None:
        """The signer of the outermost signature: the one who sent the document."""
        return self.signatures[0].signer if self.signatures else None

    def with_document_check(self, check: Check) -> VerificationReport:
        kept = tuple(c for c in self.document_checks if c.code is not check.code)
        order = list(CheckCode)
        checks = sorted(kept + (check,), key=lambda c: order.index(c.code))
        return replace(self, document_checks=tuple(checks))

    def with_signature_check(self, index: int, check: Check) -> VerificationReport:
        signatures = tuple(
            s.with_check(check) if s.index == index else s for s in self.signatures
        )
        return replace(self, signatures=signatures)

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked_at": self.checked_at.isoformat(),
            "indication": self.indication.value,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
            "document_checks": [c.to_dict() for c in self.document_checks],
            "signatures": [s.to_dict() for s in self.signatures],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerificationReport:
        return cls(
            checked_at=datetime.fromisoformat(data["checked_at"]),
            document_checks=tuple(Check.from_dict(c) for c in data["document_checks"]),
            signatures=tuple(SignatureReport.from_dict(s) for s in data["signatures"]),
        )
