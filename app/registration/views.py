"""The clerk's desk: the inbox, a document's page, registering and refusing."""

from __future__ import annotations

from flask import (
    Blueprint,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.auth.session import roles_required
from app.deadlines.service import setup_of
from app.documents.states import DocumentState
from app.formats.choices import RefusalReason
from app.registration import service
from app.registration.forms import InboxFilterForm, RefuseForm, RegisterForm
from app.registration.queries import InboxFilter, inbox_page, state_counts
from app.settings import current_settings
from app.timeutil import utcnow
from app.web.acting import perform, visible_document
from app.web.helpers import home_url
from app.web.kinds import KIND_LABELS
from app.web.labels import LABELS
from app.xmlsig.report import Indication

bp = Blueprint("registration", __name__)


def _known(value: str | None, enum_class) -> str:
    """A filter value only if it is one of the enum's; anything else filters nothing."""
    return value if value in {m.value for m in enum_class} else ""




@bp.get("/")
@login_required
def inbox():
    if not current_user.has_role(Role.CLERK):
        # "/" is everyone's start page: an executor, a head or a signer goes to her desk
        return redirect(home_url(current_user))
    form = InboxFilterForm(request.args)
    form.kind.choices = [("", _("All kinds"))] + [(k, str(v)) for k, v in KIND_LABELS.items()]
    form.state.choices = [("", _("All statuses"))] + [
        (s.value, str(s.label)) for s in DocumentState
    ]
    form.indication.choices = [("", _("Any verdict"))] + [
        (i.value, LABELS.indication(i.value)) for i in Indication
    ]
    form.validate()
    flt = InboxFilter(
        q=form.q.data or "",
        kind=form.kind.data or "",
        state=_known(form.state.data, DocumentState),
        indication=_known(form.indication.data, Indication),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        zone=current_settings().body.zone,
    )
    page = inbox_page(flt, after=request.args.get("after"))
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    return render_template(
        "registration/inbox.html",
        form=form,
        page=page,
        counts=state_counts(),
        states=list(DocumentState),
        kind_labels=KIND_LABELS,
        args=args,
        first_page=not request.args.get("after"),
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
        done=lambda number: _("Registered under number %(number)s.", number=number))


@bp.post("/documents/<int:document_id>/refuse")
@roles_required(Role.CLERK)
def refuse(document_id: int):
    doc = visible_document(document_id)
    form = RefuseForm()
    return perform(doc, form, lambda: service.refuse(
        doc, clerk=current_user, now=utcnow(), reason=RefusalReason(form.reason.data),
        text=form.text.data or "", expected_version=form.version.data),
        done=_("Registration refused; the author's portal is notified."))
