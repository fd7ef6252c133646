"""Status marks whose delivery was given up, pushed again by an administrator.

The delivery (``app.marks.delivery``) gives up on a mark after ``MAX_ATTEMPTS`` failed
pushes, or when the portal's callback URL was removed, and such a mark holds back its
document's later marks for good. Once the portal is reachable again, ``retry_mark`` gives
the mark a fresh round of attempts, due now: the worker's next run pushes it, then the
marks that waited behind it, in their order."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.documents.models import Sender
from app.errors import Refused
from app.extensions import db
from app.marks.models import Mark
from app.workflow.permissions import Task, require


def retry_mark(mark: Mark, *, by: User, now: datetime) -> None:
    """Push ``mark`` again from its first attempt, due ``now``; chained into the audit log
    in the caller's transaction. Refused unless ``by`` may (an administrator), the mark is
    given up and undelivered, and its portal has a callback URL to push to."""
    require(by, Task.RETRY_MARK, mark.document)
    if mark.given_up_at is None or mark.delivered_at is not None:
        raise Refused(_l("Status mark M%(mark)s is not given up: nothing to push again.",
                         mark=mark.id), code="mark_not_given_up", mark=mark.id)
    url = db.session.scalar(select(Sender.callback_url).where(Sender.id == mark.sender_id))
    if not url:
        raise Refused(_l("The portal of status mark M%(mark)s has no callback URL: it pulls "
                         "its marks, there is nowhere to push.", mark=mark.id),
                      code="mark_no_callback", mark=mark.id)
    given_up_at, attempts, error = mark.given_up_at, mark.attempts, mark.last_error
    # conditional, as the delivery's own updates: a second administrator's retry of the
    # same mark finds it no longer given up
    done = db.session.execute(
        update(Mark).where(Mark.id == mark.id, Mark.given_up_at.is_not(None),
                           Mark.delivered_at.is_(None))
        .values(given_up_at=None, attempts=0, next_attempt_at=now, claimed_by=None,
                claimed_until=None)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Refused(_l("Status mark M%(mark)s is not given up: nothing to push again.",
                         mark=mark.id), code="mark_not_given_up", mark=mark.id)
    db.session.refresh(mark)
    record(AuditKind.MARK_RETRIED, actor_id=by.id, document_id=mark.document_id, now=now,
           target=f"M{mark.id}",
           details={"mark": f"M{mark.id} {mark.kind.value}", "attempts": attempts,
                    "given_up_at": given_up_at.isoformat(), "last_error": error or ""})
