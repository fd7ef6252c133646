"""What the worker and ``qujat audit checkpoint`` run: seal, then sign the head."""

from __future__ import annotations

from app.audit.chain import seal_pending
from app.audit.checkpoint import sign_checkpoint
from app.audit.models import Checkpoint
from app.extensions import db
from app.timeutil import utcnow
from app.trust import system_key

#: readings sealed per transaction, so the head is never held long
SEAL_BATCH = 1000


def seal_all() -> int:
    """Seal every waiting reading, a batch per transaction; how many."""
    total = 0
    while True:
        try:
            sealed = seal_pending(limit=SEAL_BATCH)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        total += sealed
        if sealed < SEAL_BATCH:
            return total


def seal_and_sign(*, reason: str) -> Checkpoint:
    """Seal the waiting readings, then sign the head with the system key (committed)."""
    seal_all()
    try:
        checkpoint = sign_checkpoint(key=system_key(), now=utcnow(), reason=reason)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return checkpoint
