"""The administrator's reopening of a closed document, the one way back from "closed":
a history entry and an audit entry, both chained."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.documents.models import Document
from app.documents.states import Action
from app.errors import Refused
from app.workflow.locking import check_version
from app.workflow.permissions import require
from app.workflow.transition import transition


def reopen(document: Document, *, admin: User, reason: str, now: datetime,
           expected_version: int | None = None, due: date | None = None,
           deadline_rule: str | None = None) -> None:
    """Put a closed document back on its head's desk; the reason is recorded. ``due`` and
    ``deadline_rule``: the legal deadline the reopened document is owed
    (``app.deadlines.service.reopen`` computes it), written in the history entry too."""
    check_version(document, expected_version)
    require(admin, Action.REOPEN, document)
    reason = reason.strip()
    if not reason:
        raise Refused(_l("Write why the document is reopened."), code="reopen_reason_missing")
    department = document.department
    if department is None or department.head_id is None:
        raise Refused(_l("The document has no department with a head to return to."),
                      code="reopen_without_head")
    document.resolver_id = department.head_id
    document.executor_id = None
    document.approver_id = None
    document.signer_id = None
    document.due_date = due
    document.deadline_rule_code = deadline_rule
    document.due_date_by_hand = False
    facts = {"due": due.isoformat(), "deadline_rule": deadline_rule} if due else None
    transition(document, Action.REOPEN, actor=admin, now=now, comment=reason, facts=facts)
    # the history has it too; the audit log is where an administrator's acts are read
    record(AuditKind.DOCUMENT_REOPENED, actor_id=admin.id, document_id=document.id,
           target=f"document {document.id}", details={"reason": reason}, now=now)
