"""Whether the signer is the appeal's author, and may sign for it.

An individual signs for themselves: the IIN in the certificate (serialNumber "IIN…") must
be the author's IIN. A legal entity signs through an employee: the BIN in the certificate
(OU "BIN…") must be the author's BIN, and the employee must hold a role that carries the
right to sign for it (``policy.legal_signing_roles``: the first head, or an employee the
NCA certificate marks as allowed to sign).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.xmlsig.certificates import NcaRole
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CertificateInfo, Check, CheckCode, HolderKind, Outcome, SubIndication


def check_signer_is_author(
    info: CertificateInfo, *, iin: str | None, bin: str | None, policy: TrustPolicy
) -> tuple[Check, ...]:
    """SIGNER_IS_AUTHOR and SIGNER_AUTHORITY for the signer ``info`` of a document whose
    author is the individual ``iin`` or, when ``bin`` is given, the legal entity ``bin``."""
    iin, bin = _clean(iin), _clean(bin)
    if bin:
        return _legal_entity(info, bin=bin, policy=policy)
    if iin:
        return _individual(info, iin=iin)
    return (
        Check(CheckCode.SIGNER_IS_AUTHOR, Outcome.SKIPPED, "the document names no author"),
        Check(CheckCode.SIGNER_AUTHORITY, Outcome.SKIPPED, "the document names no author"),
    )


def _individual(info: CertificateInfo, *, iin: str) -> tuple[Check, ...]:
    if info.holder is HolderKind.LEGAL_ENTITY:
        # An employee's certificate signs on behalf of the company named in it: a personal
        # appeal signed with it would be the company's act, not the citizen's.
        author = _failed(
            CheckCode.SIGNER_IS_AUTHOR,
            f"the author is the individual with IIN {iin}, but the document is signed with a "
            f"certificate of the legal entity with BIN {info.bin or 'unknown'} "
            f"(issued to IIN {info.iin or 'unknown'}); a personal appeal needs a personal "
            "certificate",
        )
    elif info.iin is None:
        author = _failed(
            CheckCode.SIGNER_IS_AUTHOR,
            f"the author's IIN is {iin}, but the certificate carries no IIN",
        )
    elif info.iin != iin:
        author = _failed(
            CheckCode.SIGNER_IS_AUTHOR,
            f"the author's IIN is {iin}, but the document is signed by IIN {info.iin}",
        )
    else:
        author = Check(
            CheckCode.SIGNER_IS_AUTHOR, Outcome.PASSED, f"signed by the author, IIN {iin}"
        )
    return (
        author,
        Check(CheckCode.SIGNER_AUTHORITY, Outcome.SKIPPED, "an individual signs for themselves"),
    )


def _legal_entity(info: CertificateInfo, *, bin: str, policy: TrustPolicy) -> tuple[Check, ...]:
    signer = f"IIN {info.iin or 'unknown'}"
    if info.bin is None or info.holder is not HolderKind.LEGAL_ENTITY:
        failure = (
            f"the author is the legal entity with BIN {bin}, but the document is signed with "
            f"a personal certificate ({signer}, no BIN); a legal entity signs with its "
            "employee's certificate"
            if info.bin is None
            else f"the author is the legal entity with BIN {bin}; the certificate names "
            f"BIN {info.bin} but does not mark {signer} as its employee"
        )
        return (
            _failed(CheckCode.SIGNER_IS_AUTHOR, failure),
            _failed(CheckCode.SIGNER_AUTHORITY, "the signer holds no role in the legal entity"),
        )
    if info.bin != bin:
        return (
            _failed(
                CheckCode.SIGNER_IS_AUTHOR,
                f"the author's BIN is {bin}, but the certificate is of BIN {info.bin} ({signer})",
            ),
            Check(
                CheckCode.SIGNER_AUTHORITY,
                Outcome.SKIPPED,
                f"not checked: the signer does not represent BIN {bin}",
            ),
        )
    author = Check(
        CheckCode.SIGNER_IS_AUTHOR,
        Outcome.PASSED,
        f"signed on behalf of the author, BIN {bin}, by {signer}",
    )
    entitled = [role for role in info.roles if role in policy.legal_signing_roles]
    if entitled:
        return author, Check(
            CheckCode.SIGNER_AUTHORITY,
            Outcome.PASSED,
            f"{signer} signs for BIN {bin} as {_labels(entitled, joiner=' and ')}",
        )
    held = _labels(info.roles, joiner=", ") if info.roles else "no role"
    return author, _failed(
        CheckCode.SIGNER_AUTHORITY,
        f"{signer} is an employee of BIN {bin} ({held}) without the right to sign on its "
        "behalf; that takes a certificate of "
        f"{_labels(sorted(policy.legal_signing_roles), joiner=' or ')}",
    )


def _labels(roles: Iterable[str], *, joiner: str) -> str:
    return joiner.join(_label(role) for role in roles)


def _label(role: str) -> str:
    try:
        return NcaRole(role).label
    except ValueError:
        # a role configured in the policy that the NCA does not define: show it as written
        return role


def _failed(code: CheckCode, detail: str) -> Check:
    return Check(code, Outcome.FAILED, detail, SubIndication.SIG_CONSTRAINTS_FAILURE)


def _clean(number: str | None) -> str | None:
    return number.strip() or None if number else None
