"""What the execution stage puts on the document page: the reply as it stands (draft,
parts, files, approval rounds) for those who may see it, and the forms of whoever acts on
it now (the executor submits, the head approves or returns, the official signs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import Action
from app.execution import service as execution
from app.execution.forms import ApproveForm, RefuseSignatureForm, ReturnForm, SignForm, SubmitForm
from app.execution.models import ApprovalRound
from app.execution.queries import files_of, parts_of
from app.extensions import db
from app.org.service import signers
from app.web.acting import posted_form
from app.web.forms import set_anew
from app.workflow.permissions import may


def execution_panel(doc: Document, user: User) -> dict[str, Any]:
    version = {"version": doc.version}
    rounds = list(db.session.scalars(
        select(ApprovalRound).where(ApprovalRound.document_id == doc.id)
        .order_by(ApprovalRound.number)))
    out: dict[str, Any] = {
        "rounds": rounds,
        "parts": parts_of(doc),
        "reply_files": files_of(doc),
        "draft": execution.draft_of(doc) if doc.executor_id else None,
        "coexecutor_ids": execution.coexecutor_ids(doc),
    }
    if may(user, Action.SUBMIT, doc):
        out["submit_form"] = SubmitForm(**version)
        out["findings"] = execution.findings(doc)
    if may(user, Action.APPROVE, doc):
        approve = _again("approve_form", doc) or ApproveForm(**version)
        approve.signer.choices = [(u.id, f"{u.full_name}{', ' + u.position if u.position else ''}")
                                  for u in signers()]
        out["approve_form"] = approve
    if may(user, Action.RETURN, doc):
        out["return_form"] = _again("return_form", doc) or ReturnForm(**version)
    if may(user, Action.SIGN, doc):
        out["sign_form"] = _again("sign_form", doc) or SignForm(**version)
    if may(user, Action.REFUSE_SIGNATURE, doc):
        out["refuse_signature_form"] = (_again("refuse_signature_form", doc)
                                        or RefuseSignatureForm(**version))
    return out


def _again(name: str, doc: Document):
    """The form as posted when the page is shown again after a refusal, at the current
    version: applying it again is the user's decision."""
    form = posted_form(name)
    if form is not None:
        set_anew(form.version, doc.version)
    return form
