"""The reply: the executor's draft, co-executors' parts and files, submission for approval,
the head's approval or return. Plain functions; they flush, never commit.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.documents.blobstore import Blobs
from app.documents.models import Document
from app.documents.states import Action
from app.errors import ConfirmationRequired, Refused, StaleDocument
from app.execution.checks import (
    APPEAL_PROCEDURE_TEMPLATE,
    Finding,
    blocking,
    check_draft,
    warnings,
)
from app.execution.models import ApprovalRound, Draft, DraftFile, DraftPart, RoundDecision
from app.extensions import db
from app.formats.choices import Outcome
from app.permits.service import obstacles
from app.procedures import procedure_for
from app.workflow.locking import check_version
from app.workflow.parties import Part, party_ids
from app.workflow.permissions import Task, require
from app.workflow.transition import transition

#: a reply's files, together, stay within what a portal accepts from a citizen
MAX_REPLY_FILES_BYTES = 30 * 1024 * 1024
#: the response-letter format's own limit
MAX_REPLY_FILES = 100
#: characters the exchange format's FileName refuses (common-1.xsd)
_UNFIT_NAME = re.compile(r'[/\\:*?"<>|\t\n\r]')


def draft_of(document: Document) -> Draft:
    """The document's working draft, made when the executor is named (the resolution stage
    calls this), or now for a document assigned before drafts were made at assignment.

    It starts in the appeal's language with the appeal procedure pre-filled: the law asks
    every answer to say how to appeal."""
    draft = db.session.scalar(select(Draft).where(Draft.document_id == document.id))
    if draft is None:
        language = document.language if document.language in ("kk", "ru") else "ru"
        draft = Draft(document_id=document.id, language=language,
                      appeal_procedure=APPEAL_PROCEDURE_TEMPLATE[language])
        db.session.add(draft)
        db.session.flush()
    return draft


def coexecutor_ids(document: Document) -> set[int]:
    return party_ids(document, Part.COEXECUTOR)


def save_draft(document: Document, *, executor: User, now: datetime, draft_version: int | None,
               outcome: str | None, text: str, legal_basis: str, appeal_procedure: str,
               refusal_grounds: str = "") -> Draft:
    require(executor, Task.EDIT_REPLY, document)
    draft = draft_of(document)
    if draft_version is not None and draft_version != draft.version:
        raise StaleDocument(_l("The draft was changed meanwhile; reload it."),
                            code="draft_changed_meanwhile", document_id=document.id,
                            expected_version=draft_version, version=draft.version)
    draft.outcome = outcome or None
    draft.text = text
    draft.legal_basis = legal_basis
    draft.appeal_procedure = appeal_procedure
    draft.refusal_grounds = refusal_grounds
    draft.updated_at = now
    draft.updated_by_id = executor.id
    return draft


def add_part(document: Document, *, author: User, text: str, now: datetime) -> DraftPart:
    """A co-executor's (or the executor's own) contribution to the reply."""
    require(author, Task.CONTRIBUTE, document)
    text = text.strip()
    if not text:
        raise Refused(_l("The part has no text."), code="part_empty")
    part = DraftPart(document_id=document.id, author_id=author.id, text=text, created_at=now)
    db.session.add(part)
    return part


def add_file(document: Document, *, author: User, file_name: str, media_type: str,
             data: bytes, now: datetime, store: Blobs) -> DraftFile:
    require(author, Task.CONTRIBUTE, document)
    file_name = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not file_name or not data:
        raise Refused(_l("Choose a non-empty file."), code="file_empty",
                      file_name=file_name)
    if _UNFIT_NAME.search(file_name) or file_name.strip(".") == "" or len(file_name) > 255:
        raise Refused(_l("The file name “%(file_name)s” cannot travel in a letter: rename it "
                         'without / \\ : * ? " < > | (at most 255 characters).',
                         file_name=file_name),
                      code="file_name_unfit", file_name=file_name)
    count = db.session.scalar(
        select(func.count()).select_from(DraftFile)
        .where(DraftFile.document_id == document.id, DraftFile.removed.is_(False)))
    if count >= MAX_REPLY_FILES:
        raise Refused(_l("A reply carries at most %(limit)s files.", limit=MAX_REPLY_FILES),
                      code="reply_files_too_many", limit=MAX_REPLY_FILES)
    held = db.session.scalar(
        select(func.coalesce(func.sum(DraftFile.size), 0))
        .where(DraftFile.document_id == document.id, DraftFile.removed.is_(False))
    )
    if held + len(data) > MAX_REPLY_FILES_BYTES:
        raise Refused(_l("The reply's files would exceed %(mb)s MB together.",
                         mb=MAX_REPLY_FILES_BYTES // (1024 * 1024)),
                      code="reply_files_too_large", limit=MAX_REPLY_FILES_BYTES,
                      held=held, size=len(data))
    digest = store.put(data)
    item = DraftFile(document_id=document.id, author_id=author.id, file_name=file_name[:255],
                     media_type=(media_type or "application/octet-stream")[:100],
                     sha256=digest, size=len(data), created_at=now)
    db.session.add(item)
    return item


def remove_file(document: Document, *, user: User, file_id: int) -> None:
    require(user, Task.EDIT_REPLY, document)
    item = db.session.get(DraftFile, file_id)
    if item is None or item.document_id != document.id:
        raise Refused(_l("No such file in this reply."), code="reply_file_not_found",
                      file_id=file_id)
    item.removed = True


def findings(document: Document) -> list[Finding]:
    draft = draft_of(document)
    return check_draft(outcomes=outcomes_of(document), outcome=draft.outcome,
                       language=draft.language, text=draft.text,
                       legal_basis=draft.legal_basis, appeal_procedure=draft.appeal_procedure,
                       refusal_grounds=draft.refusal_grounds) + register_findings(
                           document, draft.outcome)


def outcomes_of(document: Document) -> tuple[Outcome, ...]:
    """The outcomes the document's procedure lets the executor choose."""
    return procedure_for(document.kind, document.content).outcomes


def register_findings(document: Document, outcome: str | None) -> list[Finding]:
    """What the register of permits forbids (an appendix to an unknown licence): blocking."""
    return [Finding(code, message, True) for code, message in obstacles(document, outcome)]


def submit(document: Document, *, executor: User, now: datetime,
           expected_version: int | None = None, acknowledge_warnings: bool = False
           ) -> ApprovalRound:
    """Send the draft to the approving head. Missing essentials refuse; the law's softer
    checks must be acknowledged, and the acknowledgement is kept with the round."""
    check_version(document, expected_version)
    require(executor, Action.SUBMIT, document)
    found = findings(document)
    stops = blocking(found)
    if stops:
        # each check on its own too, so the reply page says it by its field
        raise Refused(_joined(stops), code="reply_incomplete",
                      checks=[f.code for f in stops],
                      parts=tuple(Refused(f.message, code=f"reply_check_{f.code}")
                                  for f in stops))
    soft = warnings(found)
    if soft and not acknowledge_warnings:
        raise ConfirmationRequired(_joined(soft), code="reply_warnings_unacknowledged",
                                   checks=[f.code for f in soft])
    number = 1 + (db.session.scalar(
        select(func.count()).select_from(ApprovalRound)
        .where(ApprovalRound.document_id == document.id)) or 0)
    round_ = ApprovalRound(document_id=document.id, number=number, submitted_by_id=executor.id,
                           submitted_at=now, snapshot=snapshot(document),
                           warnings=[f.code for f in soft])
    db.session.add(round_)
    transition(document, Action.SUBMIT, actor=executor, now=now,
               facts={"round": number, "acknowledged": [f.code for f in soft]})
    return round_


def _joined(found: list[Finding]) -> LazyString:
    """The findings' messages as one refusal, rendered in the reader's language."""
    messages = [f.message for f in found]
    return LazyString(lambda: "; ".join(str(m) for m in messages))


def snapshot(document: Document) -> dict:
    """The reply as it stands: what the head approves and the official signs."""
    draft = draft_of(document)
    files = db.session.scalars(
        select(DraftFile).where(DraftFile.document_id == document.id,
                                DraftFile.removed.is_(False)).order_by(DraftFile.id))
    return {
        "outcome": draft.outcome,
        "language": draft.language,
        "text": draft.text,
        "legal_basis": draft.legal_basis,
        "appeal_procedure": draft.appeal_procedure,
        "refusal_grounds": [g.strip() for g in draft.refusal_grounds.splitlines() if g.strip()],
        "files": [{"id": f.id, "file_name": f.file_name, "media_type": f.media_type,
                   "sha256": f.sha256, "size": f.size} for f in files],
    }


def open_round(document: Document) -> ApprovalRound:
    round_ = db.session.scalar(
        select(ApprovalRound).where(ApprovalRound.document_id == document.id,
                                    ApprovalRound.decision.is_(None))
        .order_by(ApprovalRound.number.desc()))
    if round_ is None:
        raise Refused(_l("The reply has not been submitted."), code="reply_not_submitted")
    return round_


def last_approved_round(document: Document) -> ApprovalRound:
    round_ = db.session.scalar(
        select(ApprovalRound).where(ApprovalRound.document_id == document.id,
                                    ApprovalRound.decision == RoundDecision.APPROVED)
        .order_by(ApprovalRound.number.desc()))
    if round_ is None:
        raise Refused(_l("There is no approved reply to sign."), code="reply_not_approved")
    return round_


def approve(document: Document, *, head: User, signer: User, now: datetime,
            expected_version: int | None = None, remarks: str = "") -> ApprovalRound:
    check_version(document, expected_version)
    require(head, Action.APPROVE, document)
    if Role.SIGNER not in signer.role_set or not signer.active:
        raise Refused(_l("%(person)s is not a signing official.", person=signer.full_name),
                      code="not_a_signer", person=signer.full_name, person_id=signer.id)
    round_ = decide(open_round(document), RoundDecision.APPROVED, by=head, now=now,
                    remarks=remarks.strip())
    document.signer_id = signer.id
    transition(document, Action.APPROVE, actor=head, now=now, comment=round_.remarks,
               facts={"round": round_.number, "signer": signer.full_name})
    return round_


def return_for_rework(document: Document, *, head: User, remarks: str, now: datetime,
                      expected_version: int | None = None) -> ApprovalRound:
    check_version(document, expected_version)
    require(head, Action.RETURN, document)
    remarks = remarks.strip()
    if not remarks:
        raise Refused(_l("Write the remarks the executor must address."),
                      code="return_remarks_missing")
    round_ = decide(open_round(document), RoundDecision.RETURNED, by=head, now=now,
                    remarks=remarks)
    transition(document, Action.RETURN, actor=head, now=now, comment=remarks,
               facts={"round": round_.number})
    return round_


def refuse_signature(document: Document, *, official: User, remarks: str, now: datetime,
                     expected_version: int | None = None) -> ApprovalRound:
    """The official declines to sign and sends the reply back to the executor."""
    check_version(document, expected_version)
    require(official, Action.REFUSE_SIGNATURE, document)
    remarks = remarks.strip()
    if not remarks:
        raise Refused(_l("Write why the reply is not signed."),
                      code="signature_refusal_reason_missing")
    round_ = last_approved_round(document)
    # the head's remarks at approval stay; the official's are added below them
    decide(round_, RoundDecision.SIGNATURE_REFUSED, by=official, now=now,
           remarks=(round_.remarks + "\n" if round_.remarks else "") + remarks)
    document.signer_id = None
    transition(document, Action.REFUSE_SIGNATURE, actor=official, now=now, comment=remarks)
    return round_


def decide(round_: ApprovalRound, decision: RoundDecision, *, by: User, now: datetime,
           remarks: str | None = None) -> ApprovalRound:
    """Record what became of a round: who decided, when, with which remarks."""
    round_.decision = decision
    round_.decided_by_id = by.id
    round_.decided_at = now
    if remarks is not None:
        round_.remarks = remarks
    return round_
