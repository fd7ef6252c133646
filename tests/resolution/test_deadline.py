"""A head moves the deadline of a document in execution: earlier freely, later only with a
reason, both dates kept; nobody else may."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import InvalidTransition, PermissionDenied, Refused
from app.resolution.models import ResolutionKind
from app.resolution.service import change_deadline
from app.timeutil import utcnow
from tests.execution import road
from tests.factories import Org, make_document

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"


@pytest.fixture
def org(db_session):
    return Org()


def test_earlier_freely_later_only_with_a_reason(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    first = doc.due_date

    change_deadline(doc, head=org.head, due_date=first - timedelta(days=3), reason="",
                    now=utcnow(), zone=ZONE)
    assert doc.due_date == first - timedelta(days=3)
    with pytest.raises(Refused) as refused:
        change_deadline(doc, head=org.head, due_date=first + timedelta(days=5), reason="",
                        now=utcnow(), zone=ZONE)
    assert refused.value.code == "deadline_later_without_reason"
    assert refused.value.details == {"due": (first + timedelta(days=5)).isoformat(),
                                     "previous": (first - timedelta(days=3)).isoformat()}
    change_deadline(doc, head=org.head, due_date=first + timedelta(days=5),
                    reason="Ждём заключение экспертизы", now=utcnow(), zone=ZONE)

    moved = [r for r in doc.resolutions if r.kind is ResolutionKind.DEADLINE]
    assert [(r.proposed_due_date, r.due_date) for r in moved] == [
        (first, first - timedelta(days=3)),
        (first - timedelta(days=3), first + timedelta(days=5)),
    ]
    assert doc.history[-1].action.value == "change_deadline"
    assert doc.marks[-1].kind.value == "passed_to_execution"  # the portal hears nothing new


def test_only_the_assigning_head_or_above_and_only_in_execution(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    with pytest.raises(PermissionDenied):
        change_deadline(doc, head=org.other_head, due_date=doc.due_date, reason="x",
                        now=utcnow(), zone=ZONE)
    road.submitted(road.drafted(doc, org), org)
    with pytest.raises(InvalidTransition):
        change_deadline(doc, head=org.head, due_date=doc.due_date, reason="x", now=utcnow(),
                        zone=ZONE)
