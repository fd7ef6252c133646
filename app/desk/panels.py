"""What the document page shows each user: the forms they may act with, the parts of the
record they may read, and the whole path as one timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.auth.models import User
from app.control.panel import control_panel
from app.deadlines.panel import deadline_panel
from app.deadlines.service import setup_of, urgency_rules
from app.desk.forms import ReopenForm
from app.documents.models import Document
from app.documents.states import MARK_COLOURS, TRANSITIONS, Action, circle_colour
from app.execution.panel import execution_panel
from app.formats.choices import MarkKind, RefusalReason
from app.inspections.service import inspection_panel
from app.registration.addressing import addressed_elsewhere
from app.registration.completeness import missing_documents
from app.registration.panel import completeness_panel, registration_panel
from app.repeats.panel import leave_reason, repeats_panel
from app.resolution.panel import resolution_panel
from app.settings import current_settings
from app.web.acting import posted_form
from app.web.forms import set_anew
from app.web.helpers import format_moment
from app.web.history import describe
from app.workflow.permissions import can_see_reply, may


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
    """Each stage's panel for this user, the timeline and the reopening."""
    rules = urgency_rules(current_settings())
    sees_reply = can_see_reply(user, doc)
    out: dict[str, Any] = {
        "timeline": timeline(doc, show_reply_remarks=sees_reply),
        "urgency": rules.urgency_of(doc, today=rules.today(today))
        if not doc.state.closed else None,
        "sees_reply": sees_reply,
        # the documents the procedure requires that are not attached (completeness)
        "missing_documents": missing_documents(doc),
    }
    out.update(completeness_panel(doc))
    out.update(registration_panel(doc, user))
    if not doc.state.closed:
        out["addressed_elsewhere"] = elsewhere = addressed_elsewhere(
            doc, current_settings().body)
        refuse = out.get("refuse_form")
        if elsewhere is not None and refuse is not None and not refuse.reason.data:
            refuse.reason.data = RefusalReason.NOT_ADDRESSED_TO_US.value
    deadlines = setup_of(current_settings())
    out.update(resolution_panel(doc, user, deadlines=deadlines))
    out.update(deadline_panel(doc, deadlines))
    out.update(control_panel(doc, user, rules=rules, today=rules.today(today)))
    out.update(repeats_panel(doc, user))
    leave = out.get("leave_form")
    if leave is not None and not leave.reason.data:
        # a repeat of an appeal answered on the merits: the reason is offered, not imposed
        leave.reason.data = leave_reason(doc)
    if sees_reply:
        out.update(execution_panel(doc, user))
    out.update(inspection_panel(doc))
    if may(user, Action.REOPEN, doc):
        reopen = posted_form("reopen_form")
        if reopen is not None:
            set_anew(reopen.version, doc.version)
        out["reopen_form"] = reopen or ReopenForm(version=doc.version)
    return out


#: steps whose remarks belong to the reply team (the head's, the official's)
_REPLY_REMARKS = {Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.REFUSE_SIGNATURE}


def timeline(doc: Document, *, show_reply_remarks: bool = True) -> list[Event]:
    """Every step, each followed by the marks it sent, in the order they happened; a
    step's dot is the portal's circle after it (``circle_colour``: its last mark so far)."""
    pending = list(doc.marks)
    events: list[Event] = []
    last: MarkKind | None = None
    for entry in doc.history:
        hidden = entry.action in _REPLY_REMARKS and not show_reply_remarks
        step = TRANSITIONS.get((entry.from_state, entry.action))
        sent = []
        for kind in step.marks if step else ():
            if pending and pending[0].kind is kind:
                sent.append(pending.pop(0))
        last = sent[-1].kind if sent else last
        events.append(Event(at=entry.at, kind="step", title=entry.action.label,
                            who=entry.actor_name, comment="" if hidden else entry.comment,
                            colour=circle_colour(entry.to_state, last),
                            facts=tuple(describe(entry.facts))))
        events += [Event(at=mark.created_at, kind="mark", title=mark.kind,
                         comment=_delivery(mark)) for mark in sent]
    # marks no step sent (the letter mark, once the portal has the letter) move the
    # circle by themselves
    events += [Event(at=m.created_at, kind="mark", title=m.kind, comment=_delivery(m),
                     colour=MARK_COLOURS[m.kind]) for m in pending]
    return events


def _delivery(mark) -> str:
    from flask_babel import gettext as _

    if mark.delivered_at:
        said = _("delivered %(moment)s", moment=format_moment(mark.delivered_at))
    elif mark.next_attempt_at:
        said = _("push pending (attempt %(n)s)", n=mark.attempts)
    else:
        said = _("available to the portal")
    if mark.letter_id is not None and mark.kind is MarkKind.EXECUTED:
        # the letter it carries, and whether the portal has it (app/marks/receipt.py)
        said += " · " + (_("the portal has the letter since %(moment)s",
                           moment=format_moment(mark.letter_received_at))
                         if mark.letter_received_at else
                         _("the letter has not reached the portal yet"))
    return said
