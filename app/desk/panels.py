"""What the document page shows each user: the forms they may act with, the parts of the
record they may read, and the whole path as one timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.auth.models import Role, User
from app.documents.models import Document
from app.documents.states import TRANSITIONS, Action, DocumentState
from app.execution import service as execution
from app.execution.forms import (
    ApproveForm,
    RefuseSignatureForm,
    ReturnForm,
    SignForm,
    SubmitForm,
)
from app.execution.models import ApprovalRound
from app.execution.queries import files_of, parts_of
from app.extensions import db
from app.formats.choices import RefusalReason
from app.org.models import Department
from app.org.service import controlled_department_ids, executors_in, signers, subtree_ids
from app.registration.forms import RefuseForm, RegisterForm
from app.resolution.forms import (
    AssignForm,
    DeadlineForm,
    LeaveForm,
    PassDownForm,
    RedirectForm,
    SendToResolutionForm,
)
from app.resolution.service import proposed_due_date
from app.timeutil import local
from app.web.history import describe
from app.workflow.access import can_see_reply
from app.workflow.deadlines import DeadlineRules
from app.xmlsig.report import Indication

from .forms import ReopenForm


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # "step" or "mark"
    title: Any
    who: str = ""
    comment: str = ""
    colour: str = ""
    #: what the step established, in the reader's words
    facts: tuple[str, ...] = ()


def panels_for(doc: Document, user: User, *, today: datetime) -> dict[str, Any]:
    rules = DeadlineRules.from_config(current_app.config)
    sees_reply = can_see_reply(user, doc)
    may_resolve = _may_resolve(doc, user)
    out: dict[str, Any] = {
        "timeline": timeline(doc, show_reply_remarks=sees_reply),
        "urgency": rules.urgency(doc.due_date, today=rules.today(today))
        if not doc.state.closed else None,
        "sees_reply": sees_reply,
    }
    version = {"version": doc.version}
    state = doc.state
    if user.has_role(Role.CLERK) and state is DocumentState.RECEIVED:
        out["register_form"] = RegisterForm(**version)
        out["refuse_form"] = RefuseForm(**version)
        if doc.indication is Indication.FAILED:
            out["refuse_form"].reason.data = RefusalReason.EDS_CHECK_FAILED.value
    if user.has_role(Role.CLERK) and state is DocumentState.REGISTERED:
        form = SendToResolutionForm(**version)
        form.department.choices = [
            (d.id, d.name) for d in db.session.scalars(
                select(Department).where(Department.head_id.is_not(None))
                .order_by(Department.name))]
        out["route_form"] = form
    if state is DocumentState.ON_RESOLUTION and may_resolve:
        out.update(_resolution_forms(doc, user, rules=rules, version=version))
    if state is DocumentState.IN_EXECUTION and (
            doc.approver_id == user.id or may_resolve):
        out["deadline_form"] = DeadlineForm(**version)
        out["deadline_form"].due_date.data = doc.due_date
    if sees_reply:
        out.update(_reply(doc, user, version=version))
    if Role.ADMIN in user.role_set and state.closed and state is not DocumentState.REJECTED:
        out["reopen_form"] = ReopenForm(**version)
    return out


def _may_resolve(doc: Document, user: User) -> bool:
    if Role.ADMIN in user.role_set:
        return True
    return user.has_role(Role.HEAD) and (
        doc.resolver_id == user.id or doc.department_id in controlled_department_ids(user))


def _resolution_forms(doc: Document, user: User, *, rules: DeadlineRules,
                      version: dict) -> dict[str, Any]:
    proposed = proposed_due_date(doc, rules)
    team = subtree_ids(doc.department_id) if doc.department_id else set()
    people = [(u.id, f"{u.full_name} — {u.department.name if u.department else ''}")
              for u in executors_in(team) if u.id != user.id]
    assign = AssignForm(**version)
    # no executor is pre-selected: naming one is the head's decision, never a default
    assign.executor.choices = [("", "—")] + people
    assign.coexecutors.choices = people
    if assign.due_date.data is None:
        assign.due_date.data = proposed
    below = [d for d in db.session.scalars(select(Department).order_by(Department.name))
             if d.id in team and d.id != doc.department_id and d.head_id]
    pass_down = None
    if below:
        pass_down = PassDownForm(**version)
        pass_down.department.choices = [(d.id, f"{d.name} — {d.head.full_name}") for d in below]
    return {
        "assign_form": assign,
        "proposed_due": proposed,
        "pass_down_form": pass_down,
        "redirect_form": RedirectForm(**version),
        "leave_form": LeaveForm(**version),
    }


def _reply(doc: Document, user: User, *, version: dict) -> dict[str, Any]:
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
    if doc.state is DocumentState.IN_EXECUTION and doc.executor_id == user.id:
        out["submit_form"] = SubmitForm(**version)
        out["findings"] = execution.findings(doc)
    if doc.state is DocumentState.ON_APPROVAL and (
            doc.approver_id == user.id or Role.ADMIN in user.role_set):
        approve = ApproveForm(**version)
        approve.signer.choices = [(u.id, f"{u.full_name}{', ' + u.position if u.position else ''}")
                                  for u in signers()]
        out["approve_form"] = approve
        out["return_form"] = ReturnForm(**version)
    if doc.state is DocumentState.ON_SIGNATURE and doc.signer_id == user.id \
            and user.has_role(Role.SIGNER):
        out["sign_form"] = SignForm(**version)
        out["refuse_signature_form"] = RefuseSignatureForm(**version)
    return out


#: steps whose remarks belong to the reply team (the head's, the official's)
_REPLY_REMARKS = {Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.REFUSE_SIGNATURE}


def timeline(doc: Document, *, show_reply_remarks: bool = True) -> list[Event]:
    """Every step, each followed by the marks it sent, in the order they happened."""
    pending = list(doc.marks)
    events: list[Event] = []
    for entry in doc.history:
        hidden = entry.action in _REPLY_REMARKS and not show_reply_remarks
        events.append(Event(at=entry.at, kind="step", title=entry.action.label,
                            who=entry.actor_name, comment="" if hidden else entry.comment,
                            colour=entry.to_state.colour, facts=tuple(describe(entry.facts))))
        step = TRANSITIONS.get((entry.from_state, entry.action))
        for kind in step.marks if step else ():
            if pending and pending[0].kind is kind:
                mark = pending.pop(0)
                events.append(Event(at=mark.created_at, kind="mark", title=mark.kind,
                                    comment=_delivery(mark)))
    events += [Event(at=m.created_at, kind="mark", title=m.kind, comment=_delivery(m))
               for m in pending]
    return events


def _delivery(mark) -> str:
    from flask_babel import gettext as _

    if mark.delivered_at:
        return _("delivered %(moment)s", moment=local(mark.delivered_at).strftime("%d.%m.%Y %H:%M"))
    if mark.next_attempt_at:
        return _("push pending (attempt %(n)s)", n=mark.attempts)
    return _("available to the portal")
