"""A head moves the deadline of a document in execution: earlier freely, later only with a
reason, both dates kept; past the legal deadline only as the control of execution's
extension (the legal maximum, the author told), at the assignment as later; nobody else
may."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.control.models import ControlKind
from app.control.service import add_months, decisions, extension_limit
from app.documents.states import Action, DocumentState
from app.errors import InvalidTransition, PermissionDenied, Refused
from app.formats.choices import MarkKind
from app.resolution import service as resolution
from app.resolution.models import ResolutionKind
from app.resolution.service import change_deadline
from app.timeutil import local, utcnow
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document


def local_day(moment):
    return local(moment, "Asia/Almaty").date()


@pytest.fixture
def org(db_session):
    return Org()


def test_earlier_freely_back_to_the_legal_one_with_a_reason(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    legal = doc.due_date

    change_deadline(doc, head=org.head, due_date=legal - timedelta(days=3), reason="",
                    now=utcnow(), rules=deadline_rules(), legal=legal)
    assert doc.due_date == legal - timedelta(days=3)
    with pytest.raises(Refused) as refused:
        change_deadline(doc, head=org.head, due_date=legal - timedelta(days=1), reason="",
                        now=utcnow(), rules=deadline_rules(), legal=legal)
    assert refused.value.code == "deadline_later_without_reason"
    assert refused.value.details == {"due": (legal - timedelta(days=1)).isoformat(),
                                     "previous": (legal - timedelta(days=3)).isoformat()}
    change_deadline(doc, head=org.head, due_date=legal, reason="Исполнитель в отпуске",
                    now=utcnow(), rules=deadline_rules(), legal=legal)

    moved = [r for r in doc.resolutions if r.kind is ResolutionKind.DEADLINE]
    assert [(r.proposed_due_date, r.due_date) for r in moved] == [
        (legal, legal - timedelta(days=3)),
        (legal - timedelta(days=3), legal),
    ]
    assert moved[-1].instruction == "Исполнитель в отпуске"
    assert doc.history[-1].action is Action.CHANGE_DEADLINE
    # within the legal period: no extension, the portal hears nothing new
    assert doc.marks[-1].kind is MarkKind.PASSED_TO_EXECUTION
    assert decisions(doc) == [] and not any(r.extension_reason for r in moved)


def test_past_the_legal_deadline_is_an_extension_the_author_is_told(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    legal = doc.due_date
    change_deadline(doc, head=org.head, due_date=legal - timedelta(days=3), reason="",
                    now=utcnow(), rules=deadline_rules(), legal=legal)

    decision = change_deadline(doc, head=org.head, due_date=legal + timedelta(days=5),
                               reason="Ждём заключение экспертизы", now=utcnow(),
                               rules=deadline_rules(), legal=legal)

    assert (decision.kind, decision.due, decision.previous_due, decision.reason) == (
        ControlKind.EXTENSION, legal + timedelta(days=5), legal - timedelta(days=3),
        "Ждём заключение экспертизы")
    assert doc.due_date == legal + timedelta(days=5) and doc.due_date_by_hand
    assert doc.history[-1].action is Action.EXTEND
    assert doc.marks[-1].kind is MarkKind.EXTENDED
    assert f"<NewDueDate>{legal + timedelta(days=5)}</NewDueDate>".encode() in doc.marks[-1].xml
    # back within what the author was told: a resolution, no new mark
    change_deadline(doc, head=org.head, due_date=legal + timedelta(days=2), reason="",
                    now=utcnow(), rules=deadline_rules(), legal=legal)
    change_deadline(doc, head=org.head, due_date=legal + timedelta(days=4), reason="Отпуск",
                    now=utcnow(), rules=deadline_rules(), legal=legal)
    assert [m.kind for m in doc.marks].count(MarkKind.EXTENDED) == 1


def test_a_lengthening_past_the_legal_maximum_is_refused_naming_it(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    legal, limit = doc.due_date, extension_limit(doc, deadline_rules())

    with pytest.raises(Refused) as refused:
        change_deadline(doc, head=org.head, due_date=limit + timedelta(days=1),
                        reason="Ждём заключение экспертизы", now=utcnow(),
                        rules=deadline_rules(), legal=legal)

    assert refused.value.code == "extension_past_limit"
    assert refused.value.details["limit"] == limit.isoformat()
    assert doc.due_date == legal and doc.history[-1].action is Action.ASSIGN


def test_an_assignment_later_than_the_legal_deadline_is_an_extension(org):
    doc = road.registered(make_document(), org)
    legal = doc.due_date
    later = legal + timedelta(days=7)

    resolution.assign(doc, head=org.head, executor=org.executor, due_date=later,
                      proposed=legal, now=utcnow(), extension_reason="Нужна экспертиза",
                      rules=deadline_rules())

    assert [e.action for e in doc.history[-2:]] == [Action.ASSIGN, Action.EXTEND]
    assert doc.history[-2].facts["due"] == legal.isoformat()
    assert [m.kind for m in doc.marks[-2:]] == [MarkKind.PASSED_TO_EXECUTION,
                                                MarkKind.EXTENDED]
    [decision] = decisions(doc)
    assert (decision.kind, decision.previous_due, decision.due, decision.reason) == (
        ControlKind.EXTENSION, legal, later, "Нужна экспертиза")
    assert (doc.state, doc.due_date, doc.due_date_by_hand) == (
        DocumentState.IN_EXECUTION, later, True)


def test_an_assignment_past_the_legal_maximum_is_refused_and_changes_nothing(org):
    doc = road.registered(make_document(), org)
    legal = doc.due_date
    limit = add_months(local_day(doc.registered_at), 2)

    with pytest.raises(Refused) as refused:
        resolution.assign(doc, head=org.head, executor=org.executor,
                          due_date=limit + timedelta(days=1), proposed=legal, now=utcnow(),
                          extension_reason="Нужна экспертиза", rules=deadline_rules())

    assert refused.value.code == "extension_past_limit"
    assert (doc.state, doc.due_date, doc.executor_id) == (DocumentState.ON_RESOLUTION, legal,
                                                          None)
    assert doc.resolutions == []


def test_only_the_assigning_head_or_above_and_only_in_execution(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    with pytest.raises(PermissionDenied):
        change_deadline(doc, head=org.other_head, due_date=doc.due_date, reason="x",
                        now=utcnow(), rules=deadline_rules(), legal=doc.due_date)
    road.submitted(road.drafted(doc, org), org)
    with pytest.raises(InvalidTransition):
        change_deadline(doc, head=org.head, due_date=doc.due_date, reason="x", now=utcnow(),
                        rules=deadline_rules(), legal=doc.due_date)
