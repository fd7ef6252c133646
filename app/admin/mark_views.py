"""The status marks the delivery gave up on (``/admin/marks``): which they are, what each
holds back, and a button that pushes one again (``app.workflow.outbox.retry_mark``)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.views import bp
from app.auth.models import Role
from app.auth.session import roles_required
from app.extensions import db
from app.marks.models import Mark
from app.marks.queries import given_up_marks
from app.timeutil import utcnow
from app.web.acting import act
from app.web.forms import ConfirmForm
from app.workflow.outbox import retry_mark


@bp.get("/marks")
@roles_required(Role.ADMIN)
def given_up():
    return render_template("admin/marks.html", marks=given_up_marks(), form=ConfirmForm())


@bp.post("/marks/<int:mark_id>/retry")
@roles_required(Role.ADMIN)
def retry(mark_id: int):
    mark = db.session.get(Mark, mark_id)
    if mark is None:
        abort(404)
    back = url_for(".given_up")
    return act(ConfirmForm(), lambda: retry_mark(mark, by=current_user, now=utcnow()),
               done=_("Status mark M%(mark)s will be pushed again at the worker's next run.",
                      mark=mark_id), back=back) or redirect(back)
