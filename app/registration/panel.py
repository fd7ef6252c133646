"""What the registration stage puts on the document page: the clerk's decision (register or
refuse) and, when no route matched, the choice of the department to send it to."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select

from app.auth.models import Role, User
from app.deadlines.service import load_calendar
from app.documents.models import Document
from app.documents.states import Action
from app.extensions import db
from app.formats.choices import RefusalReason
from app.org.models import Department
from app.registration.completeness import (
    COMPLETENESS_WORKING_DAYS,
    completeness_of,
    incompleteness_text,
    missing_documents,
)
from app.registration.forms import RefuseForm, RegisterForm
from app.registration.listing import MAX_LIST, filter_of_list
from app.registration.queries import neighbours
from app.resolution.forms import SendToResolutionForm
from app.settings import current_settings
from app.timeutil import local, utcnow
from app.web.acting import posted_form
from app.web.forms import set_anew
from app.web.helpers import locale_code
from app.workflow.permissions import may
from app.xmlsig.report import Indication


def _posted(name: str, doc: Document):
    """The form as the clerk posted it when a refusal shows the page again, set to the
    document's current version so that applying it again is her decision."""
    form = posted_form(name)
    if form is not None:
        set_anew(form.version, doc.version)
    return form


def registration_panel(doc: Document, user: User) -> dict[str, Any]:
    version = {"version": doc.version}
    out: dict[str, Any] = {}
    if may(user, Action.REGISTER, doc):
        out["register_form"] = _posted("register_form", doc) or RegisterForm(**version)
    refused = _posted("refuse_form", doc)
    if refused is not None and may(user, Action.REJECT, doc):
        out["refuse_form"] = refused  # what she chose and wrote, not the defaults
    elif may(user, Action.REJECT, doc):
        out["refuse_form"] = RefuseForm(**version)
        missing = missing_documents(doc)
        if doc.indication is Indication.FAILED:
            out["refuse_form"].reason.data = RefusalReason.EDS_CHECK_FAILED.value
        elif missing:  # the catalogue's reason, and the text naming what is missing
            out["refuse_form"].reason.data = RefusalReason.INCOMPLETE.value
            out["refuse_form"].text.data = incompleteness_text(missing, locale_code())
    if user.has_role(Role.CLERK):
        # the clerk walks the list she came from (the to-do list by default) document by
        # document
        raw = request.args.get("list", "")[:MAX_LIST]
        flt = filter_of_list(raw, zone=current_settings().body.zone)
        out["todo_nav"] = neighbours(doc, flt, list_args=raw)
    if may(user, Action.ROUTE, doc):
        form = SendToResolutionForm(**version)
        form.department.choices = [
            (d.id, d.name_in(locale_code())) for d in db.session.scalars(
                select(Department).where(Department.head_id.is_not(None))
                .order_by(Department.name))]
        out["route_form"] = form
    return out


def completeness_panel(doc: Document) -> dict[str, Any]:
    """By when an application's completeness must be checked (while it waits for the
    clerk), and whether that day has passed (templates/registration/_completeness.html)."""
    settings = current_settings()
    check = completeness_of(doc, calendar=load_calendar(settings.calendar),
                            hours=settings.working_hours,
                            today=local(utcnow(), settings.body.zone).date())
    if check.due is None:
        return {}
    return {"completeness_due": check.due, "completeness_late": check.late,
            "completeness_days": COMPLETENESS_WORKING_DAYS}
