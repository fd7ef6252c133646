"""Checking a status mark as the portal must: signature, signer's chain, format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.formats.letters import read_response_letter
from app.formats.marks import read_status_mark
from app.formats.model import ResponseLetter, StatusMark
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Indication, Outcome, VerificationReport
from app.xmlsig.verifier import verify_bytes


@dataclass(frozen=True)
class CheckedMark:
    indication: str
    mark: StatusMark | None
    summary: str


def verify_mark(xml: bytes, *, policy: TrustPolicy, at: datetime) -> CheckedMark:
    result = verify_bytes(xml, policy=policy, at=at)
    report = result.report
    if result.signed_root is None:
        return CheckedMark(report.indication.value, None, _why_not(report))
    mark = read_status_mark(result.signed_root)
    details = []
    if mark.registration:
        details.append(f"{mark.registration.number} of {mark.registration.date.isoformat()}")
    if mark.refusal:
        details.append(f"{mark.refusal.reason.value}: {mark.refusal.text}")
    if mark.extension:
        details.append(f"extended to {mark.extension.due.isoformat()}: {mark.extension.reason}")
    if mark.decision:
        details.append(mark.decision.value + (f" № {mark.issued_number}"
                                              if mark.issued_number else ""))
    if mark.letter:
        details.append(f"letter {mark.letter.number} of {mark.letter.date.isoformat()}")
    signer = report.signer.common_name if report.signer else "?"
    if report.indication is not Indication.PASSED:
        # the mark reads, but the portal must not trust it: say why first (an operator who
        # left out the marks' intermediate CA sees which check failed, not a bare FAILED)
        details.insert(0, _why_not(report))
    return CheckedMark(report.indication.value, mark,
                       f"signed by {signer}" + (f"; {'; '.join(details)}" if details else ""))


def _why_not(report: VerificationReport) -> str:
    """The checks that did not pass, each as ``code: detail``, after the sub-indication."""
    failing = [f"{check.code.value}: {check.detail}" for check in report.all_checks
               if check.outcome is not Outcome.PASSED and check.outcome is not Outcome.SKIPPED]
    head = report.sub_indication.value if report.sub_indication else ""
    return "; ".join(part for part in (head, *failing) if part)


@dataclass(frozen=True)
class CheckedLetter:
    indication: str
    letter: ResponseLetter | None
    #: the letter as the author reads it: outcome, numbers, text, signer
    printout: str


def verify_letter(xml: bytes, *, policy: TrustPolicy, at: datetime) -> CheckedLetter:
    """Check a response letter's signature and read it, as the portal does before showing
    it to the author (the dark green circle)."""
    result = verify_bytes(xml, policy=policy, at=at)
    report = result.report
    if result.signed_root is None:
        return CheckedLetter(report.indication.value, None,
                             report.sub_indication.value if report.sub_indication else "")
    letter = read_response_letter(result.signed_root)
    signer = report.signer.common_name if report.signer else "?"
    lines = [
        f"{letter.issuer.name}",
        f"Исх. № {letter.outgoing_number} от {letter.outgoing_date.strftime('%d.%m.%Y')}",
        f"На № {letter.in_reply_to.registration_number} от "
        f"{letter.in_reply_to.registration_date.strftime('%d.%m.%Y')} "
        f"({letter.in_reply_to.sender_system} {letter.in_reply_to.sender_document_id})",
        f"Решение: {letter.outcome.label_in(letter.language.value)}",
    ]
    if letter.issued_licence:
        lines.append(f"Лицензия № {letter.issued_licence.number} от "
                     f"{letter.issued_licence.issue_date.strftime('%d.%m.%Y')}")
    lines += [f"Основание отказа: {g}" for g in letter.refusal_grounds]
    lines += ["", letter.text, "", f"{letter.signer.position} {letter.signer.name}",
              f"ЭЦП: {signer}, {report.indication.value}"]
    for attachment in letter.attachments:
        lines.append(f"Приложение: {attachment.file_name} ({len(attachment.content)} байт)")
    return CheckedLetter(report.indication.value, letter, "\n".join(lines))
