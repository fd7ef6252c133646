"""The control forms of the document page: extend, ask for more time, refuse, suspend,
resume. Each posts here and comes back to the document."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.control import service
from app.control.forms import (
    ExtendForm,
    RefuseExtensionForm,
    RequestExtensionForm,
    ResumeForm,
    SuspendForm,
)
from app.control.models import ControlDecision
from app.deadlines.service import urgency_rules
from app.extensions import db
from app.settings import current_settings
from app.timeutil import utcnow
from app.web.acting import perform, show_document_again, visible_document
from app.workflow.deadlines import DeadlineRules

bp = Blueprint("control", __name__)


def _rules() -> DeadlineRules:
    """The body's calendar with the administrator's day swaps: the limit of an extension
    and the days a suspension took are counted on it, as the deadlines are."""
    return urgency_rules(current_settings())


@bp.post("/documents/<int:document_id>/extend")
@login_required
def extend(document_id: int):
    doc = visible_document(document_id)
    form = ExtendForm()

    def run():
        request = db.session.get(ControlDecision, form.request.data) \
            if form.request.data else None
        if request is not None and request.document_id != doc.id:
            request = None
        return service.extend(doc, head=current_user, due=form.due_date.data,
                              reason=form.reason.data or "", now=utcnow(), rules=_rules(),
                              request=request, expected_version=form.version.data)

    return perform(doc, form, run,
                   done=_("The deadline is extended; the author's portal is told."),
                   render=show_document_again(doc, extend_form=form))


@bp.post("/documents/<int:document_id>/extension-request")
@login_required
def request_extension(document_id: int):
    doc = visible_document(document_id)
    form = RequestExtensionForm()
    return perform(doc, form, lambda: service.request_extension(
        doc, executor=current_user, due=form.due_date.data, reason=form.reason.data or "",
        now=utcnow(), rules=_rules(), expected_version=form.version.data),
        done=_("Your request is sent to the head."),
        render=show_document_again(doc, request_extension_form=form))


@bp.post("/documents/<int:document_id>/extension-refusal")
@login_required
def refuse_extension(document_id: int):
    doc = visible_document(document_id)
    form = RefuseExtensionForm()
    return perform(doc, form, lambda: service.refuse_extension(
        doc, head=current_user, reason=form.reason.data or "", now=utcnow(),
        expected_version=form.version.data),
        done=_("The request is refused; the executor sees why."),
        render=show_document_again(doc, refuse_extension_form=form))


@bp.post("/documents/<int:document_id>/suspend")
@login_required
def suspend(document_id: int):
    doc = visible_document(document_id)
    form = SuspendForm()
    return perform(doc, form, lambda: service.suspend(
        doc, head=current_user, reason=form.reason.data or "", now=utcnow(),
        expected_version=form.version.data),
        done=_("The consideration is suspended: the clock stands still."),
        render=show_document_again(doc, suspend_form=form))


@bp.post("/documents/<int:document_id>/resume")
@login_required
def resume(document_id: int):
    doc = visible_document(document_id)
    form = ResumeForm()
    return perform(doc, form, lambda: service.resume(
        doc, head=current_user, reason=form.reason.data or "", now=utcnow(), rules=_rules(),
        expected_version=form.version.data),
        done=lambda decision: _("The consideration is resumed; the deadline is now "
                                "%(date)s.", date=decision.due.strftime("%d.%m.%Y"))
        if decision.due else _("The consideration is resumed."),
        render=show_document_again(doc, resume_form=form))
