"""The clerk's desk: the inbox, a document's page, registering and refusing."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.session import roles_required
from app.errors import ConfirmationRequired, QujatError
from app.extensions import db
from app.formats.choices import RefusalReason
from app.intake.models import Attachment, Document
from app.intake.storage import blob_store
from app.registration import service
from app.registration.card import render_card
from app.registration.forms import InboxFilterForm, RefuseForm, RegisterForm
from app.registration.queries import InboxFilter, inbox_page, state_counts
from app.timeutil import utcnow
from app.web.kinds import KIND_LABELS
from app.web.labels import LABELS
from app.web.transaction import unit_of_work
from app.workflow.states import Action, DocumentState, allowed_actions
from app.xmlsig.report import Indication, VerificationReport

bp = Blueprint("registration", __name__)


def _known(value: str | None, enum_class) -> str:
    """A filter value only if it is one of the enum's; anything else filters nothing."""
    return value if value in {m.value for m in enum_class} else ""


def _document_or_404(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    return document


@bp.get("/")
@roles_required(Role.CLERK)
def inbox():
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
        zone=current_app.config["QUJAT_TIMEZONE"],
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


@bp.get("/documents/<int:document_id>")
@roles_required(Role.CLERK)
def document(document_id: int):
    doc = _document_or_404(document_id)
    report = VerificationReport.from_dict(doc.report)
    register_form = RegisterForm(version=doc.version)
    refuse_form = RefuseForm(version=doc.version)
    if doc.indication is Indication.FAILED:
        refuse_form.reason.data = RefusalReason.EDS_CHECK_FAILED.value
    return render_template(
        "registration/document.html",
        doc=doc,
        report=report,
        actions=allowed_actions(doc.state),
        Action=Action,
        register_form=register_form,
        refuse_form=refuse_form,
        kind_labels=KIND_LABELS,
        refusal_label=lambda value: RefusalReason(value),
    )


@bp.post("/documents/<int:document_id>/register")
@roles_required(Role.CLERK)
def register(document_id: int):
    doc = _document_or_404(document_id)
    form = RegisterForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return redirect(url_for(".document", document_id=doc.id))
    try:
        with unit_of_work():
            number = service.register(
                doc,
                clerk=current_user,
                now=utcnow(),
                expected_version=form.version.data,
                confirm_indeterminate=form.confirm_indeterminate.data,
                zone=current_app.config["QUJAT_TIMEZONE"],
            )
    except ConfirmationRequired:
        flash(_("The signature check is undecided: tick the confirmation to register anyway."),
              "warning")
        return redirect(url_for(".document", document_id=doc.id))
    except QujatError as exc:
        flash(_translate_error(exc), "error")
        return redirect(url_for(".document", document_id=document_id))
    flash(_("Registered under number %(number)s.", number=number), "success")
    return redirect(url_for(".document", document_id=doc.id))


@bp.post("/documents/<int:document_id>/refuse")
@roles_required(Role.CLERK)
def refuse(document_id: int):
    doc = _document_or_404(document_id)
    form = RefuseForm()
    if not form.validate_on_submit():
        flash(_("Choose a reason for the refusal."), "error")
        return redirect(url_for(".document", document_id=doc.id))
    try:
        with unit_of_work():
            service.refuse(
                doc,
                clerk=current_user,
                now=utcnow(),
                reason=RefusalReason(form.reason.data),
                text=form.text.data or "",
                expected_version=form.version.data,
            )
    except QujatError as exc:
        flash(_translate_error(exc), "error")
        return redirect(url_for(".document", document_id=document_id))
    flash(_("Registration refused; the author's portal is notified."), "success")
    return redirect(url_for(".document", document_id=doc.id))


@bp.get("/documents/<int:document_id>/card.pdf")
@roles_required(Role.CLERK)
def card(document_id: int):
    doc = _document_or_404(document_id)
    if doc.registration_number is None:
        abort(404, description=_("The document is not registered yet."))
    pdf = render_card(doc, zone=current_app.config["QUJAT_TIMEZONE"])
    name = f"card-{doc.id}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@bp.get("/documents/<int:document_id>/attachments/<int:attachment_id>")
@roles_required(Role.CLERK)
def attachment(document_id: int, attachment_id: int):
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.document_id != document_id:
        abort(404)
    return _download(blob_store().get(item.sha256), item.file_name, item.media_type)


@bp.get("/documents/<int:document_id>/original.xml")
@roles_required(Role.CLERK)
def original(document_id: int):
    doc = _document_or_404(document_id)
    return _download(blob_store().get(doc.raw_sha256), f"document-{doc.id}.xml",
                     "application/xml")


def _download(data: bytes, file_name: str, media_type: str) -> Response:
    from urllib.parse import quote

    # always as a download, never rendered: an attachment is untrusted content
    return Response(
        data,
        mimetype="application/octet-stream" if media_type.startswith("text/html") else media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        },
    )


def _translate_error(exc: QujatError) -> str:
    from app.errors import InvalidTransition, PermissionDenied, Refused, StaleDocument

    if isinstance(exc, StaleDocument):
        return _("The document was changed by someone else meanwhile; the page now shows "
                 "its current state.")
    if isinstance(exc, InvalidTransition):
        return _("This action is not possible in the document's current status.")
    if isinstance(exc, PermissionDenied):
        return _("Your role does not allow this action.")
    if isinstance(exc, Refused) and exc.details.get("indication") == "FAILED":
        return _("A document whose signature is NOT valid cannot be registered; refuse it "
                 "instead.")
    return exc.message
