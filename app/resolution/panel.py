"""What the resolution stage puts on the document page: the head's resolution forms while
the document waits for him, and the deadline while it is in execution."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.catalogues.service import standard_instructions, state_bodies
from app.deadlines.service import DeadlineSetup
from app.documents.models import Document
from app.documents.states import Action
from app.extensions import db
from app.org.models import Department
from app.org.service import executors_in, subtree_ids
from app.resolution.forms import AssignForm, DeadlineForm, LeaveForm, PassDownForm, RedirectForm
from app.resolution.service import proposed_due_date
from app.settings import current_settings
from app.web.acting import posted_form
from app.web.forms import set_anew
from app.web.helpers import locale_code
from app.workflow.permissions import may


def resolution_panel(doc: Document, user: User, *,
                     deadlines: DeadlineSetup) -> dict[str, Any]:
    version = {"version": doc.version}
    out: dict[str, Any] = {}
    if may(user, Action.ASSIGN, doc):
        out.update(_resolution_forms(doc, user, deadlines=deadlines, version=version))
    if may(user, Action.CHANGE_DEADLINE, doc):
        deadline = _again("deadline_form", doc)
        if deadline is None:
            deadline = DeadlineForm(**version)
            deadline.due_date.data = doc.due_date
        out["deadline_form"] = deadline
    return out


def _again(name: str, doc: Document):
    """The form as the user posted it when the page is shown again after a refusal, set
    to the document's current version so that applying it again is their decision."""
    form = posted_form(name)
    if form is not None:
        set_anew(form.version, doc.version)
    return form


def _resolution_forms(doc: Document, user: User, *, deadlines: DeadlineSetup,
                      version: dict) -> dict[str, Any]:
    proposed = proposed_due_date(doc, deadlines)
    team = subtree_ids(doc.department_id) if doc.department_id else set()
    language = locale_code()
    people = [(u.id, f"{u.full_name} — {u.department.name_in(language) if u.department else ''}")
              for u in executors_in(team) if u.id != user.id]
    assign = _again("assign_form", doc) or AssignForm(**version)
    # no executor is pre-selected: naming one is the head's decision, never a default
    assign.executor.choices = [("", "—")] + people
    assign.coexecutors.choices = people
    standards = standard_choices()
    assign.standard.choices = standards
    if assign.due_date.data is None:
        assign.due_date.data = proposed
    below = [d for d in db.session.scalars(select(Department).order_by(Department.name))
             if d.id in team and d.id != doc.department_id and d.head_id]
    pass_down = None
    if below and may(user, Action.PASS_DOWN, doc):
        pass_down = _again("pass_down_form", doc) or PassDownForm(**version)
        pass_down.department.choices = [("", "—")] + [
            (d.id, f"{d.name_in(language)} — {d.head.full_name}")
            for d in below if d.head is not None]
        pass_down.standard.choices = standards
    redirect = None
    if may(user, Action.REDIRECT, doc):
        redirect = _again("redirect_form", doc) or RedirectForm(**version)
        redirect.body.choices = body_choices()
    return {
        "assign_form": assign,
        "proposed_due": proposed,
        "pass_down_form": pass_down,
        "redirect_form": redirect,
        "leave_form": _again("leave_form", doc) or LeaveForm(**version)
        if may(user, Action.LEAVE, doc) else None,
    }


def standard_choices() -> list[tuple[object, str]]:
    """The standard instructions in the reader's language, after an empty "—"."""
    language = locale_code()
    return [("", "—")] + [(item.id, item.text_in(language))
                          for item in standard_instructions()]


def body_choices() -> list[tuple[object, str]]:
    """The directory of state bodies (but our own), after "—": a body not in it."""
    language = locale_code()
    return [("", "—")] + [(body.id, f"{body.name_in(language)} ({body.code})")
                          for body in state_bodies(besides=current_settings().body.code)]
