"""The head's desk and the resolution actions on a document."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role, User
from app.auth.session import roles_required
from app.catalogues.service import chosen_instruction, redirect_target
from app.control.models import ControlDecision
from app.control.panel import redirect_words
from app.control.service import redirect_window
from app.deadlines.service import setup_of, urgency_rules
from app.extensions import db
from app.org.models import Department
from app.resolution import service
from app.resolution.forms import (
    AssignForm,
    DeadlineForm,
    LeaveForm,
    PassDownForm,
    RedirectForm,
    SendToResolutionForm,
)
from app.resolution.queries import HeadDesk, Tab
from app.settings import current_settings
from app.timeutil import utcnow
from app.web.acting import perform, show_document_again, visible_document
from app.web.desklist import DeskFilter, page_args, start_of
from app.web.helpers import locale_code
from app.web.kinds import KIND_LABELS
from app.workflow.deadlines import DeadlineRules

bp = Blueprint("resolution", __name__)



@bp.get("/resolution/")
@roles_required(Role.HEAD)
def desk():
    rules = urgency_rules(current_settings())
    today = rules.today(utcnow())
    head_desk = HeadDesk(head=current_user, today=today, soon=rules.soon_limit(today))
    tab = request.args.get("tab", Tab.RESOLUTION)
    if tab not in Tab.ALL:
        tab = Tab.RESOLUTION
    flt = DeskFilter.from_args(request.args)
    counts = head_desk.counts()
    page = head_desk.page(tab, flt=flt, after=request.args.get("after"),
                          start=start_of(request.args), counts=counts)
    return render_template(
        "resolution/desk.html",
        tab=tab, tabs=Tab.ALL, tab_labels=_tab_labels(), counts=counts,
        documents=page.rows, page=page, page_args=page_args(request.args),
        kind_labels=KIND_LABELS,
        urgency_of=lambda d: rules.urgency_of(d, today=today),
        redirect_of=lambda d: _redirect_note(d, rules=rules, today=today),
        flt=flt, today=today, list_url=url_for("resolution.desk"),
    )


def _redirect_note(doc, *, rules: DeadlineRules, today) -> str | None:
    """How long is left to redirect a document waiting for a resolution by competence."""
    window = redirect_window(doc, rules=rules, today=today)
    return redirect_words(window) if window else None


def _tab_labels() -> dict[str, str]:
    return {
        Tab.RESOLUTION: _("Waiting for resolution"),
        Tab.APPROVAL: _("Replies to approve"),
        Tab.CONTROL: _("On control"),
        Tab.DUE_SOON: _("Due soon"),
        Tab.OVERDUE: _("Overdue"),
    }


@bp.post("/documents/<int:document_id>/send-to-resolution")
@roles_required(Role.CLERK)
def send_to_resolution(document_id: int):
    doc = visible_document(document_id)
    form = SendToResolutionForm()
    form.department.choices = [(d.id, d.name_in(locale_code()))
                               for d in db.session.query(Department)]
    return perform(doc, form, lambda: service.send_to_resolution(
        doc, clerk=current_user, department=db.session.get(Department, form.department.data),
        now=utcnow(), expected_version=form.version.data),
        done=_("Sent to the head for a resolution."))


@bp.post("/documents/<int:document_id>/pass-down")
@roles_required(Role.HEAD)
def pass_down(document_id: int):
    doc = visible_document(document_id)
    form = PassDownForm()
    form.department.choices = [("", "—")] + [(d.id, d.name_in(locale_code()))
                                             for d in db.session.query(Department)]

    def run():
        chosen = chosen_instruction(form.standard.data, form.instruction.data or "",
                                    language=locale_code())
        service.pass_down(
            doc, head=current_user,
            to_department=db.session.get(Department, form.department.data),
            instruction=chosen.text, standard=chosen, now=utcnow(),
            expected_version=form.version.data)

    return perform(
        doc, form, run, done=_("Passed down to the subordinate head."),
        render=show_document_again(doc, pass_down_form=form))


@bp.post("/documents/<int:document_id>/assign")
@roles_required(Role.HEAD)
def assign(document_id: int):
    doc = visible_document(document_id)
    form = AssignForm()
    people = {u.id: u for u in db.session.query(User).filter(User.active)}
    form.executor.choices = [(i, "") for i in people]
    form.coexecutors.choices = [(i, "") for i in people]

    def run():
        proposed = service.proposed_due_date(doc, setup_of(current_settings()))
        chosen = chosen_instruction(form.standard.data, form.instruction.data or "",
                                    language=locale_code())
        service.assign(
            doc, head=current_user, executor=people[form.executor.data],
            coexecutors=[people[i] for i in form.coexecutors.data or [] if i in people],
            due_date=form.due_date.data, proposed=proposed,
            instruction=chosen.text, standard=chosen,
            extension_reason=form.extension_reason.data or "", now=utcnow(),
            expected_version=form.version.data, rules=urgency_rules(current_settings()))

    return perform(doc, form, run, done=_("Passed to execution; the author's portal is told."),
                   render=show_document_again(doc, assign_form=form))


@bp.post("/documents/<int:document_id>/redirect")
@roles_required(Role.HEAD)
def redirect_by_competence(document_id: int):
    doc = visible_document(document_id)
    form = RedirectForm()

    def run():
        # a body from the directory, named in the document's language; or one typed
        code, name = redirect_target(form.body.data, typed_code=form.body_code.data or "",
                                     typed_name=form.body_name.data or "",
                                     language=doc.language or "ru")
        service.redirect(doc, head=current_user, body_code=code, body_name=name,
                         reason=form.reason.data or "", now=utcnow(),
                         expected_version=form.version.data)

    return perform(doc, form, run,
        done=_("Redirected by competence; the author's portal is told where it went."),
        render=show_document_again(doc, redirect_form=form))


@bp.post("/documents/<int:document_id>/leave")
@roles_required(Role.HEAD)
def leave(document_id: int):
    doc = visible_document(document_id)
    form = LeaveForm()
    return perform(doc, form, lambda: service.leave_without_consideration(
        doc, head=current_user, reason=form.reason.data, now=utcnow(),
        expected_version=form.version.data),
        done=_("Left without consideration; the author's portal is told why."),
        render=show_document_again(doc, leave_form=form))


@bp.post("/documents/<int:document_id>/deadline")
@roles_required(Role.HEAD)
def change_deadline(document_id: int):
    doc = visible_document(document_id)
    form = DeadlineForm()
    settings = current_settings()
    return perform(doc, form, lambda: service.change_deadline(
        doc, head=current_user, due_date=form.due_date.data, reason=form.reason.data or "",
        now=utcnow(), expected_version=form.version.data, rules=urgency_rules(settings),
        legal=service.legal_due_date(doc, setup_of(settings))),
        done=lambda result: _("The deadline is extended; the author's portal is told.")
        if isinstance(result, ControlDecision) else _("The deadline is changed."),
        render=show_document_again(doc, deadline_form=form))
