"""The executor's desk and reply editor, the head's approval, the official's signature."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.auth.session import roles_required
from app.deadlines.service import urgency_rules
from app.documents.storage import blob_store
from app.errors import KeyRefused
from app.execution import service
from app.execution.checks import check_draft
from app.execution.forms import (
    ApproveForm,
    DraftForm,
    FileForm,
    PartForm,
    RefuseSignatureForm,
    ReturnForm,
    SignForm,
    SubmitForm,
)
from app.execution.queries import (
    awaiting_signature_page,
    files_of,
    latest_rework,
    my_documents_page,
    parts_of,
    returned_for_rework,
)
from app.execution.signing import sign_letter
from app.extensions import db
from app.settings import current_settings
from app.timeutil import utcnow
from app.trust import official_policy
from app.web.acting import (
    FIELD_OF_CODE,
    act,
    body_too_large,
    perform,
    show_document_again,
    visible_document,
)
from app.web.desklist import DeskFilter, page_args, start_of
from app.web.forms import ConfirmForm, set_anew
from app.web.helpers import locale_code
from app.web.kinds import KIND_LABELS
from app.workflow.permissions import Task, can_open_reply, may

bp = Blueprint("execution", __name__)

#: a key container is a few KB; anything bigger is not one, and is never spooled to disk
MAX_KEY_BYTES = 64 * 1024


def _urgency():
    """Today and each document's urgency, from one read of the calendar."""
    rules = urgency_rules(current_settings())
    today = rules.today(utcnow())
    return today, lambda d: rules.urgency_of(d, today=today)


@bp.get("/execution/")
@roles_required(Role.EXECUTOR)
def desk():
    (today, urgency_of), flt = _urgency(), DeskFilter.from_args(request.args)
    page = my_documents_page(current_user, flt=flt, today=today,
                             after=request.args.get("after"), start=start_of(request.args))
    return render_template("execution/desk.html", documents=page.rows, page=page,
                           page_args=page_args(request.args),
                           returned=returned_for_rework(page.rows),
                           kind_labels=KIND_LABELS, urgency_of=urgency_of,
                           title=_("My documents"), flt=flt, today=today,
                           list_url=url_for("execution.desk"))


@bp.get("/signing/")
@roles_required(Role.SIGNER)
def signing_desk():
    (today, urgency_of), flt = _urgency(), DeskFilter.from_args(request.args)
    page = awaiting_signature_page(current_user, flt=flt, today=today,
                                   after=request.args.get("after"),
                                   start=start_of(request.args))
    return render_template("execution/desk.html", documents=page.rows, page=page,
                           page_args=page_args(request.args),
                           kind_labels=KIND_LABELS, urgency_of=urgency_of,
                           title=_("Waiting for my signature"), flt=flt, today=today,
                           list_url=url_for("execution.signing_desk"))


def _team_document(document_id: int):
    doc = visible_document(document_id)
    if not can_open_reply(current_user, doc):
        abort(403)
    return doc


def _outcome_choices(doc):
    return [("", "—")] + [(o.value, o.label_in(locale_code()))
                          for o in service.outcomes_of(doc)]


@bp.get("/documents/<int:document_id>/reply")
@login_required
def reply(document_id: int):
    doc = _team_document(document_id)
    return _reply_page(doc)


def _reply_page(doc, form: DraftForm | None = None, *, part_form: PartForm | None = None,
                file_form: FileForm | None = None):
    """The reply editor; ``form`` is the posted draft when a refusal shows it again, kept
    as the user typed it (set to the current versions: applying it again is their call)."""
    draft = service.draft_of(doc)
    if form is None:
        form = DraftForm(obj=draft, draft_version=draft.version)
        form.version.data = doc.version  # the document's, not the draft's (obj has one too)
        form.outcome.data = draft.outcome or ""
        found = service.findings(doc)
    else:
        set_anew(form.draft_version, draft.version)
        set_anew(form.version, doc.version)
        found = check_draft(outcomes=service.outcomes_of(doc),
                            outcome=form.outcome.data or None,
                            language=draft.language, text=form.text.data or "",
                            legal_basis=form.legal_basis.data or "",
                            appeal_procedure=form.appeal_procedure.data or "",
                            refusal_grounds=form.refusal_grounds.data or "")
        found += service.register_findings(doc, form.outcome.data or None)
    form.outcome.choices = _outcome_choices(doc)
    return render_template(
        "execution/reply.html", doc=doc, draft=draft, form=form,
        # the forms not posted start empty: the draft's posted "text" is not a part's
        part_form=part_form or PartForm(formdata=None),
        file_form=file_form or FileForm(formdata=None),
        findings=found,
        # a blocking check links to the field it concerns (where a refusal says it)
        field_of_check={f.code: FIELD_OF_CODE.get(f"reply_check_{f.code}") for f in found},
        may_edit=may(current_user, Task.EDIT_REPLY, doc),
        may_contribute=may(current_user, Task.CONTRIBUTE, doc),
        parts=parts_of(doc), files=files_of(doc), kind_labels=KIND_LABELS,
        rework=latest_rework(doc),
        assignment=next((r for r in reversed(doc.resolutions) if r.kind.value == "assign"),
                        None),
    )


@bp.post("/documents/<int:document_id>/reply")
@login_required
def save_reply(document_id: int):
    """Save the draft as it is on the screen; with "Submit for approval" (the same form),
    save it and submit it in one unit of work."""
    doc = _team_document(document_id)
    form = DraftForm()
    form.outcome.choices = _outcome_choices(doc)
    submitting = request.form.get("action") == "submit"

    def run():
        now = utcnow()
        draft = service.save_draft(
            doc, executor=current_user, now=now, draft_version=form.draft_version.data,
            outcome=form.outcome.data, text=form.text.data or "",
            legal_basis=form.legal_basis.data or "",
            appeal_procedure=form.appeal_procedure.data or "",
            refusal_grounds=form.refusal_grounds.data or "")
        if not submitting:
            return draft
        db.session.flush()
        return service.submit(doc, executor=current_user, now=now,
                              expected_version=form.version.data,
                              acknowledge_warnings=bool(form.acknowledge.data))

    return perform(doc, form, run,
                   done=_("Submitted for approval.") if submitting else _("The draft is saved."),
                   back=url_for(".reply", document_id=doc.id),
                   then=url_for("documents.show", document_id=doc.id) if submitting else None,
                   render=lambda: _reply_page(doc, form))


@bp.post("/documents/<int:document_id>/reply/parts")
@login_required
def add_part(document_id: int):
    doc = _team_document(document_id)
    form = PartForm()
    return perform(doc, form, lambda: service.add_part(
        doc, author=current_user, text=form.text.data, now=utcnow()),
        done=_("Your part is added."), back=url_for(".reply", document_id=doc.id),
        render=lambda: _reply_page(doc, part_form=form))


@bp.post("/documents/<int:document_id>/reply/files")
@login_required
def add_file(document_id: int):
    doc = _team_document(document_id)
    if body_too_large(service.MAX_REPLY_FILES_BYTES + 64 * 1024):
        return redirect(url_for(".reply", document_id=doc.id))
    form = FileForm()
    upload = form.file.data

    def run():
        data = upload.read()
        service.add_file(doc, author=current_user, file_name=upload.filename or "",
                         media_type=upload.mimetype or "", data=data, now=utcnow(),
                         store=blob_store())

    return perform(doc, form, run, done=_("The file is attached to the reply."),
                   back=url_for(".reply", document_id=doc.id),
                   render=lambda: _reply_page(doc, file_form=form))


@bp.post("/documents/<int:document_id>/reply/files/<int:file_id>/remove")
@login_required
def remove_file(document_id: int, file_id: int):
    doc = _team_document(document_id)
    form = ConfirmForm()
    return perform(doc, form, lambda: service.remove_file(doc, user=current_user,
                                                          file_id=file_id),
                   done=_("The file is removed from the reply."),
                   back=url_for(".reply", document_id=doc.id))


@bp.post("/documents/<int:document_id>/submit")
@login_required
def submit(document_id: int):
    doc = _team_document(document_id)
    form = SubmitForm()
    return perform(doc, form, lambda: service.submit(
        doc, executor=current_user, now=utcnow(), expected_version=form.version.data,
        acknowledge_warnings=bool(form.acknowledge.data)),
        done=_("Submitted for approval."))


@bp.post("/documents/<int:document_id>/approve")
@roles_required(Role.HEAD)
def approve(document_id: int):
    doc = visible_document(document_id)
    form = ApproveForm()
    people = {u.id: u for u in db.session.query(User).filter(User.active)}
    form.signer.choices = [(i, "") for i in people]
    return perform(doc, form, lambda: service.approve(
        doc, head=current_user, signer=people[form.signer.data], now=utcnow(),
        remarks=form.remarks.data or "", expected_version=form.version.data),
        done=_("Approved and sent to the official for signature."),
        render=show_document_again(doc, approve_form=form))


@bp.post("/documents/<int:document_id>/return")
@roles_required(Role.HEAD)
def return_for_rework(document_id: int):
    doc = visible_document(document_id)
    form = ReturnForm()
    return perform(doc, form, lambda: service.return_for_rework(
        doc, head=current_user, remarks=form.remarks.data, now=utcnow(),
        expected_version=form.version.data),
        done=_("Returned to the executor with your remarks."),
        render=show_document_again(doc, return_form=form))


@bp.post("/documents/<int:document_id>/refuse-signature")
@roles_required(Role.SIGNER)
def refuse_signature(document_id: int):
    doc = visible_document(document_id)
    form = RefuseSignatureForm()
    return perform(doc, form, lambda: service.refuse_signature(
        doc, official=current_user, remarks=form.remarks.data, now=utcnow(),
        expected_version=form.version.data),
        done=_("Not signed: the reply is back with the executor."),
        render=show_document_again(doc, refuse_signature_form=form))


@bp.post("/documents/<int:document_id>/sign")
@roles_required(Role.SIGNER)
def sign(document_id: int):
    doc = visible_document(document_id)
    back = url_for("documents.show", document_id=doc.id)
    if body_too_large(MAX_KEY_BYTES + 16 * 1024):
        return redirect(back)
    form = SignForm()
    # a refused signature shows the page again with the message at the key or the
    # password and the confirmation kept; the key file is chosen again (a browser never
    # fills a file input) and the password typed again (never sent back)
    render = show_document_again(doc, sign_form=form)
    secrets: dict = {}

    def run():
        secrets["key"] = form.key.data.read(MAX_KEY_BYTES + 1)
        secrets["password"] = form.password.data
        form.password.data = None
        if len(secrets["key"]) > MAX_KEY_BYTES:
            raise KeyRefused(_l("This file is too large to be a key container."),
                             code="key_too_large", reason="unreadable")
        return sign_letter(
            doc, official=current_user, pkcs12=secrets["key"], password=secrets["password"],
            now=utcnow(), policy=official_policy(), expected_version=form.version.data,
            body=current_settings().body, store=blob_store())

    try:
        refused = act(form, run, done=lambda letter: _(
            "Signed and sent: outgoing number %(number)s.", number=letter.outgoing_number),
            back=back, render=render)
    finally:
        secrets.clear()  # drop our references to the key and its password
    return refused or redirect(back)
