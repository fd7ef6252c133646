"""Who may see which document. One function, used by every page and download.

- administrators: everything;
- document-service clerks: the intake — every incoming document's card, signature check
  and movement (they keep the registry), but not the reply being drafted;
- heads: documents of the departments they head and every department below, and what they
  resolved or must approve;
- executors: documents they execute or co-execute;
- signing officials: what waits for their signature and what they signed.
"""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from app.auth.models import Role, User
from app.execution.models import Letter
from app.extensions import db
from app.intake.models import Document
from app.org.service import controlled_department_ids
from app.resolution.models import Resolution, ResolutionKind, coexecutors


def can_see(user: User, document: Document) -> bool:
    roles = user.role_set
    if Role.ADMIN in roles or Role.CLERK in roles:
        return True
    return can_see_reply(user, document)


def can_see_reply(user: User, document: Document) -> bool:
    """The inside of the execution: drafts, co-executors' parts, reply files."""
    roles = user.role_set
    if Role.ADMIN in roles:
        return True
    if Role.HEAD in roles and (
        user.id in (document.resolver_id, document.approver_id)
        or document.department_id in controlled_department_ids(user)
        or _authored_resolution(user, document)
    ):
        return True
    if document.executor_id == user.id or _coexecutes(user, document):
        return True
    return Role.SIGNER in roles and (
        document.signer_id == user.id or _signed(user, document)
    )


def _authored_resolution(user: User, document: Document) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Resolution.document_id == document.id, Resolution.author_id == user.id))))


def _coexecutes(user: User, document: Document) -> bool:
    """Named co-executor by the resolution in force: a reassignment after a reopening
    takes the reply away from whoever it no longer names."""
    return bool(db.session.scalar(select(exists().where(
        Resolution.id == current_assignment_id(document.id),
        Resolution.id == coexecutors.c.resolution_id,
        coexecutors.c.user_id == user.id))))


def current_assignment_id(document_id):
    """The id of the latest ASSIGN resolution of a document, as a scalar subquery (over
    its own alias, so it never correlates with a Resolution of the enclosing query)."""
    latest = aliased(Resolution)
    return (select(func.max(latest.id))
            .where(latest.document_id == document_id, latest.kind == ResolutionKind.ASSIGN)
            .scalar_subquery())


def _signed(user: User, document: Document) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Letter.document_id == document.id, Letter.signer_id == user.id))))
