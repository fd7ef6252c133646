"""Who sees a document as it travels: each role its own part of the road, nobody else."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.org.models import Route
from app.workflow.permissions import can_see, can_see_reply
from tests.execution import road
from tests.factories import Org, make_document


@pytest.fixture
def org(db_session):
    return Org()


def seen_by(org, doc) -> set[str]:
    people = {"clerk": org.clerk, "admin": org.admin, "head": org.head,
              "roads-head": org.roads_head, "edu-head": org.other_head,
              "executor": org.executor, "coexecutor": org.coexecutor,
              "outsider": org.outsider, "signer": org.signer}
    return {name for name, user in people.items() if can_see(user, doc)}


def reply_seen_by(org, doc) -> set[str]:
    people = {"clerk": org.clerk, "head": org.head, "executor": org.executor,
              "coexecutor": org.coexecutor, "outsider": org.outsider, "signer": org.signer}
    return {name for name, user in people.items() if can_see_reply(user, doc)}


def test_visibility_follows_the_document_down_the_road(org, pki):
    doc = make_document()
    assert seen_by(org, doc) == {"clerk", "admin"}

    road.registered(doc, org)  # routed to the management: its head and everything below
    assert seen_by(org, doc) == {"clerk", "admin", "head"}

    road.assigned(doc, org, coexecutors=[org.coexecutor])
    assert seen_by(org, doc) == {"clerk", "admin", "head", "executor", "coexecutor"}
    # the reply being drafted is the team's and their head's, not the clerk's
    assert reply_seen_by(org, doc) == {"head", "executor", "coexecutor"}

    road.approved(road.submitted(road.drafted(doc, org), org), org)
    assert "signer" in seen_by(org, doc)
    assert "outsider" not in seen_by(org, doc) and "edu-head" not in seen_by(org, doc)

    road.signed(doc, org, pki)
    # the official keeps sight of what she signed
    assert "signer" in seen_by(org, doc)


def test_a_head_sees_the_departments_below_not_beside(org):
    # a route sends this one straight to roads: the management head above never resolved
    # it, and sees it only because roads is below his department
    db.session.add(Route(position=1, department=org.roads))
    db.session.flush()
    doc = road.registered(make_document(), org)
    assert doc.department_id == org.roads.id and doc.resolver_id == org.roads_head.id
    assert {"head", "roads-head"} <= seen_by(org, doc)
    assert "edu-head" not in seen_by(org, doc)  # beside, not above
    assert "head" in reply_seen_by(org, doc)

    # and not upwards: the roads head does not see what stays with the management
    db.session.execute(Route.__table__.delete().where(Route.position == 1))
    upper = road.registered(make_document(n=2), org)
    assert upper.department_id == org.management.id
    assert "roads-head" not in seen_by(org, upper) and "edu-head" not in seen_by(org, upper)
    assert "head" in seen_by(org, upper)


def test_a_reassignment_takes_the_reply_from_a_former_coexecutor(org, pki):
    from app.execution.queries import my_documents
    from app.timeutil import utcnow
    from app.workflow.service import reopen

    doc = road.assigned(road.registered(make_document(), org), org,
                        coexecutors=[org.coexecutor])
    assert doc in my_documents(org.coexecutor)
    road.signed(road.approved(road.submitted(road.drafted(doc, org), org), org), org, pki)
    reopen(doc, admin=org.admin, reason="Новые обстоятельства", now=utcnow())
    road.assigned(doc, org)  # the executor alone this time

    assert not can_see_reply(org.coexecutor, doc)
    assert doc not in my_documents(org.coexecutor)
    assert doc in my_documents(org.executor)
