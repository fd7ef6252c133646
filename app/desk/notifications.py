"""The bell and the list of one's notifications: read, unread, each leading to its
document. A notification is its reader's own: another's is a 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.notifications.service import latest, mark_all_read, mark_read, own, unread_count
from app.notifications.texts import text
from app.timeutil import utcnow
from app.web.acting import act
from app.web.forms import ConfirmForm
from app.web.transaction import unit_of_work

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def bell():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        try:
            return unread_count(current_user.id)
        except SQLAlchemyError:
            # the error page of a broken transaction: the bell must not break it again
            db.session.rollback()
            return 0

    return {"unread_notifications": unread_notifications}


@bp.get("/notifications")
@login_required
def index():
    return render_template("notifications/index.html", items=latest(current_user.id),
                           text=text, form=ConfirmForm())


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    notification = own(current_user.id, notification_id)
    if notification is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return redirect(url_for(".index"))
    with unit_of_work():
        mark_read(notification, now=utcnow())
    return redirect(url_for("documents.show", document_id=notification.document_id))


@bp.post("/notifications/read")
@login_required
def read_all():
    back = url_for(".index")
    return act(ConfirmForm(), lambda: mark_all_read(current_user.id, now=utcnow()),
               done=_("All notifications are marked read."), back=back) or redirect(back)
