"""``/inspections``: the queue of inspection requests by readiness date, and scheduling."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.session import roles_required
from app.dbtypes import MAX_ID
from app.errors import Refused
from app.extensions import db
from app.inspections.forms import ScheduleForm
from app.inspections.service import QueueEntry, inspectors, queue_page, schedule
from app.settings import current_settings
from app.timeutil import local, utcnow
from app.web.acting import act, visible_document
from app.web.desklist import DeskPage, page_args
from app.web.kinds import KIND_LABELS
from app.workflow.permissions import Task, may

bp = Blueprint("inspections", __name__)

#: requests on a page of the queue: fewer than a desk's rows, as each carries a scheduling
#: form with every inspector to choose from (50 of them rendered in 0.7 s at 200 executors)
QUEUE_PAGE = 20


def _inspector_choices() -> list[tuple]:
    return [("", "—")] + [(u.id, u.full_name) for u in inspectors()]


def _form(form: ScheduleForm | None = None, *, choices: list[tuple] | None = None
          ) -> ScheduleForm:
    form = form or ScheduleForm()
    form.inspector.choices = choices if choices is not None else _inspector_choices()
    return form


def _prefilled(entry: QueueEntry, today: date, choices: list[tuple]) -> ScheduleForm:
    """The entry's form: its visit as scheduled, or the first day it can be."""
    visit = entry.visit
    earliest = max(entry.ready_on or today, today)
    return _form(ScheduleForm(formdata=None, inspector=visit.inspector_id if visit else None,
                              day=visit.scheduled_for if visit else earliest,
                              note=visit.note if visit else None), choices=choices)


@bp.get("/inspections")
@roles_required(Role.CLERK, Role.HEAD)
def queue():
    """A page of the queue (QUEUE_PAGE requests, ``after`` = how many came before), of
    the requests the user may open."""
    today = local(utcnow(), current_settings().body.zone).date()
    raw = request.args.get("after", "")
    start = min(int(raw), MAX_ID) if raw.isdigit() and len(raw) < 12 else 0
    entries, total = queue_page(seen_by=current_user, start=start, size=QUEUE_PAGE)
    choices = _inspector_choices()  # once for the page, not once per row
    forms = {e.document.id: _prefilled(e, today, choices) for e in entries
             if may(current_user, Task.SCHEDULE_INSPECTION, e.document)}
    shown = start + len(entries)
    page = DeskPage(rows=entries, next_cursor=str(shown) if shown < total else None,
                    start=start, total=total, first=start == 0)
    return render_template("inspections/queue.html", entries=entries, forms=forms,
                           kind_labels=KIND_LABELS, page=page, inspector_choices=choices,
                           page_args=page_args(request.args))


@bp.post("/inspections/<int:document_id>/schedule")
@roles_required(Role.CLERK, Role.HEAD)
def schedule_visit(document_id: int):
    doc = visible_document(document_id)
    form = _form()
    back = url_for("inspections.queue")

    def run():
        from app.auth.models import User

        inspector = db.session.get(User, form.inspector.data) if form.inspector.data else None
        if inspector is None:
            raise Refused(_("Choose the inspector."), code="not_an_inspector")
        now = utcnow()
        return schedule(doc, by=current_user, inspector=inspector, on=form.day.data,
                        now=now, today=local(now, current_settings().body.zone).date(),
                        note=(form.note.data or "").strip() or None)

    refused = act(form, run, back=back, done=lambda visit: _(
        "%(inspector)s inspects %(object)s on %(date)s.", inspector=visit.inspector.full_name,
        object=doc.registration_number or doc.id,
        date=visit.scheduled_for.strftime("%d.%m.%Y")))
    return refused or redirect(back)
