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

from app.auth.models import Role, User
from app.documents.models import Document
from app.org.service import controlled_department_ids
from app.workflow.parties import Part, takes_part


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
        or takes_part(document, user.id, Part.RESOLUTION_AUTHOR)
    ):
        return True
    # co-executors named by the resolution in force: a reassignment after a reopening
    # takes the reply away from whoever it no longer names
    if document.executor_id == user.id or takes_part(document, user.id, Part.COEXECUTOR):
        return True
    return Role.SIGNER in roles and (
        document.signer_id == user.id or takes_part(document, user.id, Part.SIGNATORY)
    )
