"""The clerk's desk: the inbox, a document's page, registering and refusing."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.auth.session import roles_required
from app.deadlines.service import load_calendar, setup_of
from app.documents.states import DocumentState
from app.formats.choices import RefusalReason
from app.registration import service
from app.registration.bulk import register_many
from app.registration.completeness import completeness_of
from app.registration.forms import RefuseForm, RegisterForm
from app.registration.listing import inbox_filter, inbox_form, list_args
from app.registration.queries import (
    arrived_since,
    inbox_page,
    newest_id,
    state_counts,
    todo_count,
)
from app.settings import current_settings
from app.timeutil import local, utcnow
from app.web.acting import perform, show_document_again, visible_document
from app.web.forms import ConfirmForm
from app.web.helpers import home_url
from app.web.kinds import KIND_LABELS

bp = Blueprint("registration", __name__)


@bp.get("/")
@login_required
def inbox():
    if not current_user.has_role(Role.CLERK):
        # "/" is everyone's start page: an executor, a head or a signer goes to her desk
        return redirect(home_url(current_user))
    form = inbox_form(request.args)
    flt = inbox_filter(form, request.args, zone=current_settings().body.zone)
    show_all = not flt.todo
    page = inbox_page(flt, after=request.args.get("after"))
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    settings = current_settings()
    calendar = load_calendar(settings.calendar)
    today = local(utcnow(), settings.body.zone).date()
    # each row: incomplete or not, and by when an application's completeness is checked
    completeness = {doc.id: completeness_of(doc, calendar=calendar,
                                            hours=settings.working_hours, today=today)
                    for doc in page.rows}
    return render_template(
        "registration/inbox.html",
        form=form,
        page=page,
        counts=state_counts(),
        states=list(DocumentState),
        kind_labels=KIND_LABELS,
        args=args,
        first_page=not request.args.get("after"),
        show_all=show_all,
        list_args=list_args(request.args),
        todo=todo_count(),
        newest=newest_id(),
        completeness=completeness,
    )


@bp.post("/documents/<int:document_id>/register")
@roles_required(Role.CLERK)
def register(document_id: int):
    doc = visible_document(document_id)
    form = RegisterForm()
    return perform(doc, form, lambda: service.register(
        doc, clerk=current_user, now=utcnow(), expected_version=form.version.data,
        confirm_indeterminate=form.confirm_indeterminate.data,
        zone=current_settings().body.zone, deadlines=setup_of(current_settings())),
        done=lambda number: _("Registered under number %(number)s.", number=number),
        render=show_document_again(doc, register_form=form))


@bp.post("/documents/<int:document_id>/refuse")
@roles_required(Role.CLERK)
def refuse(document_id: int):
    doc = visible_document(document_id)
    form = RefuseForm()
    return perform(doc, form, lambda: service.refuse(
        doc, clerk=current_user, now=utcnow(), reason=RefusalReason(form.reason.data),
        text=form.text.data or "", expected_version=form.version.data),
        done=_("Registration refused; the author's portal is notified."),
        render=show_document_again(doc, refuse_form=form))


@bp.post("/inbox/register")
@roles_required(Role.CLERK)
def register_selected():
    """Register the documents ticked in the inbox, each on its own: one refused (changed
    meanwhile, signature not valid...) leaves the others registered."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return redirect(url_for("registration.inbox"))
    picked = request.form.getlist("document")
    if not picked:
        flash(_("Tick the documents to register first."), "warning")
        return redirect(url_for("registration.inbox"))
    results = register_many(picked, clerk=current_user, now=utcnow(),
                            zone=current_settings().body.zone)
    return render_template("registration/registered.html", results=results,
                           kind_labels=KIND_LABELS)


@bp.get("/inbox/poll")
@roles_required(Role.CLERK)
def poll():
    """For the inbox's script: how many documents wait, and how many arrived after the
    newest one the page showed (``since``, a document id)."""
    since = request.args.get("since", "")
    last = int(since) if since.isdigit() and len(since) < 12 else 0
    return jsonify({"todo": todo_count(), "new": arrived_since(last) if last else 0,
                    "newest": newest_id()})
