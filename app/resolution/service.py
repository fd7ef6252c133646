"""Routing a registered document to its head and the head's resolutions.

Plain functions: the actor, the moment and the expected document version come in as
arguments; they flush, never commit. Every change goes through ``transition``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.catalogues.service import ChosenInstruction
from app.control.models import ControlDecision, ControlKind
from app.control.service import check_extension, decisions, extend
from app.deadlines.service import DeadlineSetup, legal_deadline
from app.documents.models import Document
from app.documents.states import Action
from app.errors import Refused
from app.execution.service import draft_of
from app.extensions import db
from app.formats import regions
from app.formats.model import CodedName
from app.org.models import Department
from app.org.service import route_for, subtree_ids, without_head
from app.resolution.models import Resolution, ResolutionKind
from app.timeutil import day_text
from app.workflow.deadlines import DeadlineRules
from app.workflow.locking import check_version
from app.workflow.parties import Part, add_party, set_coexecutors
from app.workflow.permissions import require
from app.workflow.transition import transition


def route(document: Document, *, now: datetime, actor: User | None = None,
          department: Department | None = None) -> Department | None:
    """Send a registered document to the head of its department (by the routes, unless
    ``department`` is given). Returns None, leaving it registered, when nothing matches:
    the clerk then chooses the department by hand."""
    region, district = object_place(document)
    target = department or route_for(kind=document.kind,
                                     recipient=document.recipient_name or "",
                                     activity=_activity_text(document),
                                     region=region, district=district)
    if target is None or target.head is None:
        return None
    document.department_id = target.id
    document.resolver_id = target.head_id
    transition(document, Action.ROUTE, actor=actor, now=now,
               facts={"department": target.name, "department_code": target.code})
    return target


def send_to_resolution(document: Document, *, clerk: User, department: Department,
                       now: datetime, expected_version: int | None = None) -> None:
    """The clerk's manual routing of a registered document no route matched."""
    check_version(document, expected_version)
    require(clerk, Action.ROUTE, document)
    if department.head is None:
        raise without_head(department)
    route(document, now=now, actor=clerk, department=department)


def legal_due_date(document: Document, setup: DeadlineSetup) -> date | None:
    """The deadline the law gives (app/deadlines/: the rule of the document's kind, from
    its registration day); None when no rule applies."""
    deadline = legal_deadline(document, setup)
    return deadline.due if deadline else None


def proposed_due_date(document: Document, setup: DeadlineSetup) -> date | None:
    """What a resolution proposes: the legal deadline, or an earlier one already set."""
    dates = [d for d in (legal_due_date(document, setup), document.due_date) if d]
    return min(dates) if dates else None


def pass_down(document: Document, *, head: User, to_department: Department, now: datetime,
              instruction: str = "", expected_version: int | None = None,
              standard: ChosenInstruction | None = None) -> Resolution:
    """Hand the document to the head of a department below this head's own."""
    check_version(document, expected_version)
    require(head, Action.PASS_DOWN, document)
    own = document.department_id
    if own is None or to_department.id == own or to_department.id not in subtree_ids(own):
        raise Refused(_l("A document can be passed down only to a department below this "
                         "one; “%(department)s” is not.", department=to_department.name),
                      code="department_not_below", department=to_department.name,
                      department_code=to_department.code)
    if to_department.head is None:
        raise without_head(to_department)
    resolution = _new(document, head, ResolutionKind.PASS_DOWN, now, instruction,
                      to_department_id=to_department.id, **_standard(standard))
    document.department_id = to_department.id
    document.resolver_id = to_department.head_id
    transition(document, Action.PASS_DOWN, actor=head, now=now, comment=instruction.strip(),
               facts={"department": to_department.name,
                      "department_code": to_department.code})
    return resolution


def assign(
    document: Document,
    *,
    head: User,
    executor: User,
    due_date: date,
    proposed: date | None,
    now: datetime,
    coexecutors: Sequence[User] = (),
    instruction: str = "",
    extension_reason: str = "",
    expected_version: int | None = None,
    rules: DeadlineRules,
    standard: ChosenInstruction | None = None,
) -> Resolution:
    """Name the responsible executor, co-executors and the deadline.

    A deadline later than ``proposed`` (the legal one) is a lengthening: it needs its reason
    written down and it is the control of execution's extension (``app.control.service.
    extend``), never past the legal maximum and told to the author by an "extended" mark.
    The document is assigned with ``proposed``, then extended to ``due_date`` by the same
    head in the same transaction: two history entries, two marks. An earlier deadline is
    the head's freely; one in the past is refused. ``rules``: the body's calendar (with the
    administrator's day swaps) and zone.
    """
    check_version(document, expected_version)
    require(head, Action.ASSIGN, document)
    allowed = subtree_ids(document.department_id) if document.department_id else set()
    if head.id in {executor.id, *(u.id for u in coexecutors)}:
        raise Refused(_l("A head does not execute his own resolution: the reply he "
                         "approves must be someone else's."),
                      code="head_executes_own_resolution")
    for person in (executor, *coexecutors):
        # the role itself, not an administrator's every-role pass
        if person.department_id not in allowed or not (
                {Role.EXECUTOR, Role.HEAD} & person.role_set):
            raise Refused(_l("%(person)s does not work in this department and cannot be "
                             "named an executor.", person=person.full_name),
                          code="executor_outside_department", person=person.full_name,
                          person_id=person.id)
    if executor in coexecutors:
        raise Refused(_l("The responsible executor cannot also be a co-executor."),
                      code="executor_also_coexecutor", person=executor.full_name,
                      person_id=executor.id)
    _check_horizon(due_date, now=now, rules=rules)
    extension_reason = extension_reason.strip()
    if proposed is None:  # no rule gives this kind a deadline: the head's is the one
        proposed = due_date
    lengthened = due_date > proposed
    if lengthened and not extension_reason:
        raise Refused(
            _l("The deadline %(due)s is later than the one proposed (%(proposed)s); write "
               "why it is lengthened.", due=day_text(due_date), proposed=day_text(proposed)),
            code="deadline_later_without_reason", due=due_date.isoformat(),
            proposed=proposed.isoformat(),
        )
    if lengthened:  # refused before anything changes: the extension's limit
        check_extension(document, due_date, rules=rules, now=now, present=proposed)
    resolution = _new(document, head, ResolutionKind.ASSIGN, now, instruction,
                      executor_id=executor.id, due_date=due_date, proposed_due_date=proposed,
                      extension_reason=extension_reason or None, **_standard(standard))
    resolution.coexecutors = list(coexecutors)
    set_coexecutors(document, [u.id for u in coexecutors])
    document.executor_id = executor.id
    document.approver_id = head.id
    document.resolver_id = None
    first = proposed if lengthened else due_date
    document.due_date = first
    # the legal deadline keeps following the rules and the calendar; an earlier one is the
    # head's (a later one is the extension's decision, below)
    document.due_date_by_hand = first != proposed
    facts = {"executor": executor.full_name,
             "coexecutors": [u.full_name for u in coexecutors], "due": first.isoformat()}
    transition(document, Action.ASSIGN, actor=head, now=now, comment=instruction.strip(),
               facts=facts)
    if lengthened:
        extend(document, head=head, due=due_date, reason=extension_reason, now=now,
               rules=rules)
    draft_of(document)  # the executor finds the reply started in the appeal's language
    return resolution


def redirect(document: Document, *, head: User, body_code: str, body_name: str, reason: str,
             now: datetime, expected_version: int | None = None) -> Resolution:
    """Send the document on to the competent state body; it is closed here and the author
    is told where it went."""
    check_version(document, expected_version)
    require(head, Action.REDIRECT, document)
    body_code, body_name, reason = body_code.strip(), body_name.strip(), reason.strip()
    if not body_code or not body_name:
        raise Refused(_l("Choose the state body the document is redirected to, or type "
                         "the code and name of one not in the directory."),
                      code="redirect_body_missing")
    resolution = _new(document, head, ResolutionKind.REDIRECT, now, reason,
                      redirect_body_code=body_code, redirect_body_name=body_name,
                      reason=reason or None)
    _off_control(document)
    transition(document, Action.REDIRECT, actor=head, now=now, comment=reason,
               facts={"body": body_name},
               redirected_to=CodedName(code=body_code, name=body_name))
    return resolution


def leave_without_consideration(document: Document, *, head: User, reason: str, now: datetime,
                                expected_version: int | None = None) -> Resolution:
    check_version(document, expected_version)
    require(head, Action.LEAVE, document)
    reason = reason.strip()
    if not reason:
        raise Refused(_l("Say why the document is left without consideration."),
                      code="leave_reason_missing")
    resolution = _new(document, head, ResolutionKind.LEAVE, now, reason, reason=reason)
    _off_control(document)
    transition(document, Action.LEAVE, actor=head, now=now, comment=reason, reason_text=reason)
    return resolution


def change_deadline(document: Document, *, head: User, due_date: date, reason: str,
                    now: datetime, rules: DeadlineRules, legal: date | None,
                    expected_version: int | None = None) -> Resolution | ControlDecision:
    """Move the deadline of a document in execution. Only the head who assigned it or a
    head above. An earlier date needs no reason; a later one always does, and both dates
    stay on record.

    ``legal``: the legal deadline (``legal_due_date``; None when no rule applies). A date
    later than both it and every extension already granted is a lengthening past what the
    author is owed: it is the control of execution's extension (``app.control.service.
    extend``: the legal maximum, the "extended" mark to the author), one path for every
    extension, and the ``ControlDecision`` is returned. A later date within them (back
    towards the legal deadline after shortening it) is a resolution like a shortening.
    """
    check_version(document, expected_version)
    require(head, Action.CHANGE_DEADLINE, document)
    reason = reason.strip()
    previous = document.due_date
    _check_horizon(due_date, now=now, rules=rules)
    if previous is not None and due_date > previous and not reason:
        raise Refused(_l("The new deadline %(due)s is later than the present one "
                         "(%(previous)s); write why it is lengthened.",
                         due=day_text(due_date), previous=day_text(previous)),
                      code="deadline_later_without_reason", due=due_date.isoformat(),
                      previous=previous.isoformat())
    owed = [d for d in (legal, *(x.due for x in decisions(document)
                                 if x.kind is ControlKind.EXTENSION)) if d]
    if previous is not None and due_date > previous and due_date > max(owed, default=previous):
        return extend(document, head=head, due=due_date, reason=reason, now=now, rules=rules)
    # the reason is the resolution's instruction: within what the author is owed this is
    # no extension (the reports count those: app/reports/discipline.py)
    resolution = _new(document, head, ResolutionKind.DEADLINE, now, reason,
                      due_date=due_date, proposed_due_date=previous)
    document.due_date = due_date
    document.due_date_by_hand = True
    transition(document, Action.CHANGE_DEADLINE, actor=head, now=now, comment=reason,
               facts={"due": due_date.isoformat(),
                      "previous_due": previous.isoformat() if previous else None})
    return resolution


#: no answer is owed further ahead than this
MAX_HORIZON = timedelta(days=366)


def _check_horizon(due_date: date, *, now: datetime, rules: DeadlineRules) -> None:
    today = rules.today(now)
    if due_date < today:
        raise Refused(_l("The deadline %(due)s is in the past (today is %(today)s).",
                         due=day_text(due_date), today=day_text(today)),
                      code="deadline_in_past", due=due_date.isoformat(),
                      today=today.isoformat())
    latest = today + MAX_HORIZON
    if due_date > latest:
        raise Refused(_l("A deadline more than a year ahead is not a deadline; choose a date "
                         "no later than %(latest)s.", latest=day_text(latest)),
                      code="deadline_too_far", due=due_date.isoformat(),
                      latest=latest.isoformat())


def current_assignment(document: Document) -> Resolution | None:
    """The resolution that named the present executor."""
    for resolution in reversed(document.resolutions):
        if resolution.kind is ResolutionKind.ASSIGN:
            return resolution
    return None


def _activity_text(document: Document) -> str:
    """The licence or activity kind the applicant chose, wherever the format keeps it."""
    details = (document.content or {}).get("details") or {}
    coded = [details.get("activity") or {}, *(details.get("subactivities") or [])]
    return " ".join(f"{c.get('code', '')} {c.get('name', '')}" for c in coded
                    if isinstance(c, dict))


def object_place(document: Document) -> tuple[str | None, str | None]:
    """The codes of the region and district of the object an application is about (seed
    003), as sent or found from the names; (None, None) for other documents."""
    details = (document.content or {}).get("details") or {}
    if not details.get("region"):
        return None, None
    return regions.locate(region_name=details.get("region") or "",
                          region_code=details.get("region_code"),
                          district_name=details.get("district") or "",
                          district_code=details.get("district_code"))


def _standard(chosen: ChosenInstruction | None) -> dict:
    """The columns that record the standard instruction chosen (app/catalogues/)."""
    if chosen is None or chosen.standard is None:
        return {}
    return {"standard_instruction_id": chosen.standard.id,
            "standard_instruction_text": chosen.standard_text}


def _new(document: Document, head: User, kind: ResolutionKind, now: datetime,
         instruction: str, **fields) -> Resolution:
    level = db.session.scalar(
        select(func.count()).select_from(Resolution).where(Resolution.document_id == document.id)
    ) + 1
    resolution = Resolution(document=document, level=level, kind=kind, author_id=head.id,
                            department_id=document.department_id, created_at=now,
                            instruction=instruction.strip(), **fields)
    db.session.add(resolution)
    add_party(document, head.id, Part.RESOLUTION_AUTHOR)
    return resolution


def _off_control(document: Document) -> None:
    document.resolver_id = None
    document.executor_id = None
    document.due_date = None
