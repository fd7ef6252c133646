"""The document page every role shares (with the panels each role acts in), its
downloads, and the administrator's reopening.

Each of these pages shows personal data, so each is logged as a reading (who, when, what)
before it is answered: one INSERT, committed with the request (app/audit/log.py). A
reading that cannot be logged is not served.
"""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.audit.log import note_reading
from app.audit.models import AuditKind
from app.auth.models import Role
from app.auth.session import roles_required
from app.deadlines.service import reopen as reopen_document
from app.deadlines.service import setup_of
from app.desk.panels import panels_for
from app.documents.models import Attachment, Document
from app.documents.states import Action, allowed_actions
from app.documents.storage import blob_store
from app.execution.letter_frame import letter_frame
from app.execution.letter_pdf import render_letter
from app.execution.models import DraftFile, Letter
from app.extensions import db
from app.formats.choices import RefusalReason
from app.marks.models import Mark
from app.marks.queries import UNDELIVERED_LOADS
from app.marks.queries import undelivered_letters as undelivered_queries
from app.registration.card import render_card
from app.settings import current_settings
from app.timeutil import utcnow
from app.web.acting import perform, show_document_again, visible_document
from app.web.desklist import Order, keyset_page, page_args, start_of
from app.web.kinds import KIND_LABELS
from app.workflow.permissions import can_see_reply
from app.xmlsig.report import VerificationReport

from .forms import ReopenForm

bp = Blueprint("documents", __name__)

T = TypeVar("T")


def _logged(answer: T, kind: AuditKind, document_id: int, **details: object) -> T:
    """``answer``, once the current user's reading is logged and committed: the answer is
    built first, so the commit (which expires every row) is the last thing the view does."""
    note_reading(kind, actor_id=current_user.id, document_id=document_id, details=details)
    db.session.commit()
    return answer


@bp.get("/documents/<int:document_id>")
@login_required
def show(document_id: int):
    doc = visible_document(document_id)
    page = render_template(
        "documents/show.html",
        doc=doc,
        report=VerificationReport.from_dict(doc.report),
        actions=allowed_actions(doc.state),
        Action=Action,
        kind_labels=KIND_LABELS,
        refusal_label=lambda value: RefusalReason(value),
        **panels_for(doc, current_user, today=utcnow()),
    )
    return _logged(page, AuditKind.DOCUMENT_VIEWED, doc.id)


@bp.get("/letters/undelivered")
@roles_required(Role.CLERK, Role.ADMIN)
def undelivered_letters():
    """Signed letters the portal has not received yet: its push not acknowledged, and no
    pull past them (app/marks/receipt.py)."""
    page = keyset_page(undelivered_queries(), Order(Mark.created_at),
                       after=request.args.get("after"), start=start_of(request.args),
                       options=UNDELIVERED_LOADS)
    return render_template("documents/undelivered.html", marks=page.rows, page=page,
                           page_args=page_args(request.args))


@bp.post("/documents/<int:document_id>/reopen")
@login_required
def reopen(document_id: int):
    doc = visible_document(document_id)
    form = ReopenForm()
    return perform(doc, form, lambda: reopen_document(
        doc, admin=current_user, reason=form.reason.data or "", now=utcnow(),
        setup=setup_of(current_settings()), expected_version=form.version.data),
        done=_("Reopened: the document is back with its head."),
        render=show_document_again(doc, reopen_form=form))


@bp.get("/documents/<int:document_id>/card.pdf")
@login_required
def card(document_id: int):
    doc = visible_document(document_id)
    if doc.registration_number is None:
        abort(404, description=_("The document is not registered yet."))
    body = current_settings().body
    pdf = render_card(doc, zone=body.zone, body=body.name)
    response = Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="card-{doc.id}.pdf"',
        "X-Content-Type-Options": "nosniff"})
    return _logged(response, AuditKind.CARD_READ, doc.id)


@bp.get("/documents/<int:document_id>/attachments/<int:attachment_id>")
@login_required
def attachment(document_id: int, attachment_id: int):
    visible_document(document_id)
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.document_id != document_id:
        abort(404)
    return _logged(download(blob_store().get(item.sha256), item.file_name, item.media_type),
                   AuditKind.ATTACHMENT_READ, document_id, attachment_id=item.id,
                   file_name=item.file_name)


@bp.get("/documents/<int:document_id>/original.xml")
@login_required
def original(document_id: int):
    doc = visible_document(document_id)
    return _logged(download(blob_store().get(doc.raw_sha256), f"document-{doc.id}.xml",
                            "application/xml"), AuditKind.ORIGINAL_READ, doc.id)


@bp.get("/documents/<int:document_id>/reply-files/<int:file_id>")
@login_required
def reply_file(document_id: int, file_id: int):
    doc = visible_document(document_id)
    if not can_see_reply(current_user, doc):
        abort(403)
    item = db.session.get(DraftFile, file_id)
    if item is None or item.document_id != document_id:
        abort(404)
    return _logged(download(blob_store().get(item.sha256), item.file_name, item.media_type),
                   AuditKind.REPLY_FILE_READ, doc.id, file_id=item.id,
                   file_name=item.file_name)


def _sent_letter(document_id: int, letter_id: int) -> tuple[Document, Letter]:
    """A letter of a visible document, for whoever may read it: the reply team, the
    official, and the clerks who keep the registry of what was sent."""
    doc = visible_document(document_id)
    item = db.session.scalar(select(Letter).where(Letter.id == letter_id,
                                                  Letter.document_id == doc.id))
    if item is None:
        abort(404)
    if not (can_see_reply(current_user, doc) or current_user.has_role(Role.CLERK)):
        abort(403)
    return doc, item


@bp.get("/documents/<int:document_id>/letters/<int:letter_id>.xml")
@login_required
def letter(document_id: int, letter_id: int):
    doc, item = _sent_letter(document_id, letter_id)
    return _logged(download(item.xml, f"letter-{item.outgoing_number}.xml", "application/xml"),
                   AuditKind.LETTER_READ, doc.id, letter_id=item.id,
                   outgoing_number=item.outgoing_number)


@bp.get("/documents/<int:document_id>/letters/<int:letter_id>.pdf")
@login_required
def letter_pdf(document_id: int, letter_id: int):
    doc, item = _sent_letter(document_id, letter_id)
    body = current_settings().body
    pdf = render_letter(item, author=doc.author_name, zone=body.zone,
                        frame=letter_frame(doc, body_code=body.code))
    name = quote(f"{item.outgoing_number}.pdf", safe="")
    response = Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff"})
    return _logged(response, AuditKind.LETTER_PDF_READ, doc.id, letter_id=item.id,
                   outgoing_number=item.outgoing_number)


#: types a browser renders, scripts included: served as bytes whatever the sender declared
ACTIVE_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml")


def download(data: bytes, file_name: str, media_type: str) -> Response:
    # always as a download, never rendered: an attachment is untrusted content
    active = media_type.lower().startswith(ACTIVE_TYPES)  # media types ignore case
    return Response(
        data,
        mimetype="application/octet-stream" if active else media_type,
        headers={
            # safe="": a "/" is no RFC 8187 attr-char, so it is escaped like the rest
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name, safe='')}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        },
    )
