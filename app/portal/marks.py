"""Checking a status mark as the portal must: signature, signer's chain, format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.formats.marks import read_status_mark
from app.formats.model import StatusMark
from app.xmlsig.policy import TrustPolicy
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
        return CheckedMark(report.indication.value, None,
                           report.sub_indication.value if report.sub_indication else "")
    mark = read_status_mark(result.signed_root)
    details = []
    if mark.registration:
        details.append(f"{mark.registration.number} of {mark.registration.date.isoformat()}")
    if mark.refusal:
        details.append(f"{mark.refusal.reason.value}: {mark.refusal.text}")
    signer = report.signer.common_name if report.signer else "?"
    return CheckedMark(report.indication.value, mark,
                       f"signed by {signer}" + (f"; {'; '.join(details)}" if details else ""))
