"""A notification's words, made when it is read, in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from app.notifications.models import Notification, NotificationKind
from app.timeutil import day_text


def subject(notification: Notification) -> str:
    number = notification.params.get("number", "")
    if notification.kind is NotificationKind.OVERDUE:
        return _("Overdue: %(number)s", number=number)
    return _("Deadline approaching: %(number)s", number=number)


def text(notification: Notification) -> str:
    params = notification.params
    number = params.get("number", "")
    due = day_text(date.fromisoformat(params["due"])) if params.get("due") else ""
    if notification.kind is NotificationKind.OVERDUE:
        return _("Document %(number)s is overdue: its deadline was %(due)s and it is not "
                 "answered yet.", number=number, due=due)
    days = int(params.get("days", notification.days_before))
    if days <= 0:
        return _("Document %(number)s is due today, %(due)s.", number=number, due=due)
    return ngettext("Document %(number)s is due in %(num)d working day, on %(due)s.",
                    "Document %(number)s is due in %(num)d working days, on %(due)s.",
                    days, number=number, due=due)
