"""What the desk does with a user's notifications: count, list, mark read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from app.extensions import db
from app.notifications.models import Notification

#: the list page shows this many, newest first
PAGE = 200


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def latest(user_id: int, *, limit: int = PAGE) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def own(user_id: int, notification_id: int) -> Notification | None:
    """The user's own notification, or None (another's is not shown to exist)."""
    found = db.session.get(Notification, notification_id)
    return found if found is not None and found.user_id == user_id else None


def mark_read(notification: Notification, *, now: datetime) -> None:
    if notification.read_at is None:
        notification.read_at = now


def mark_all_read(user_id: int, *, now: datetime) -> int:
    return db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)).rowcount
