"""The inspection queue (seed 003, "заявка с проверкой"): inspection requests ordered by the
date the applicant said the object is ready, and a clerk or head scheduling the visit."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry, AuditKind
from app.documents.models import Document
from app.errors import PermissionDenied, Refused
from app.extensions import db
from app.inspections.models import InspectionVisit
from app.inspections.service import inspection_queue, schedule
from app.registration import service
from app.timeutil import utcnow
from qujat_demo.samples import sample_document
from tests.conftest import csrf_token
from tests.factories import user

TODAY = date(2026, 12, 2)


def send_request(portal, ready_on: date, *, kind: str = "inspection-request") -> int:
    details = dataclasses.replace(sample_document(kind, seed=1).details,
                                  readiness_date=ready_on)
    response = portal.send(kind, details=details)
    assert response.status_code == 202, response.json
    return response.json["id"]


def register(app, *document_ids: int) -> None:
    with app.app_context():
        for document_id in document_ids:
            service.register(db.session.get(Document, document_id), clerk=user("clerk"),
                             now=utcnow(), zone="Asia/Almaty")
        db.session.commit()


@pytest.fixture
def queue_of_three(app, portal):
    """Three registered inspection requests sent in an order other than their readiness,
    a notification (no inspection) and a request not registered yet."""
    late = send_request(portal, TODAY + timedelta(days=30))
    early = send_request(portal, TODAY + timedelta(days=3))
    middle = send_request(portal, TODAY + timedelta(days=10))
    notification = send_request(portal, TODAY + timedelta(days=1),
                                kind="sanitary-notification")
    send_request(portal, TODAY + timedelta(days=2))  # received, not registered
    register(app, late, early, middle, notification)
    return early, middle, late


def test_the_queue_is_ordered_by_readiness_date(app, queue_of_three):
    with app.app_context():
        queue = inspection_queue()

    assert [e.document.id for e in queue] == list(queue_of_three)
    assert [e.ready_on for e in queue] == [TODAY + timedelta(days=d) for d in (3, 10, 30)]


def test_a_clerk_schedules_an_inspector_and_a_day(app, queue_of_three):
    early = queue_of_three[0]
    with app.app_context():
        document = db.session.get(Document, early)
        day = TODAY + timedelta(days=5)

        visit = schedule(document, by=user("clerk"), inspector=user("executor"), on=day,
                         now=utcnow(), today=TODAY)
        moved = schedule(document, by=user("admin"), inspector=user("executor"),
                         on=day + timedelta(days=1), now=utcnow(), today=TODAY)

        assert moved is visit and visit.scheduled_for == day + timedelta(days=1)
        assert db.session.scalar(select(InspectionVisit).where(
            InspectionVisit.document_id == early)).scheduled_by.login == "admin"
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.kind == AuditKind.INSPECTION_SCHEDULED)).all()
        assert [e.details["before"] for e in entries] == [
            None, {"inspector": user("executor").id, "on": day.isoformat()}]


def test_no_visit_before_the_object_is_ready(app, queue_of_three):
    with app.app_context():
        document = db.session.get(Document, queue_of_three[1])  # ready in 10 days
        with pytest.raises(Refused) as refused:
            schedule(document, by=user("clerk"), inspector=user("executor"),
                     on=TODAY + timedelta(days=9), now=utcnow(), today=TODAY)
        assert refused.value.code == "visit_too_early"


def test_only_a_clerk_or_a_head_schedules_and_only_inspection_requests(app, portal,
                                                                        queue_of_three):
    notification = send_request(portal, TODAY, kind="sanitary-notification")
    register(app, notification)
    with app.app_context():
        document = db.session.get(Document, queue_of_three[0])
        with pytest.raises(PermissionDenied):
            schedule(document, by=user("executor"), inspector=user("executor"),
                     on=TODAY + timedelta(days=5), now=utcnow(), today=TODAY)
        with pytest.raises(Refused) as refused:
            schedule(db.session.get(Document, notification), by=user("clerk"),
                     inspector=user("executor"), on=TODAY + timedelta(days=5),
                     now=utcnow(), today=TODAY)
        assert refused.value.code == "not_an_inspection_request"
        with pytest.raises(Refused):  # a clerk is no inspector
            schedule(document, by=user("clerk"), inspector=user("clerk"),
                     on=TODAY + timedelta(days=5), now=utcnow(), today=TODAY)


def test_the_queue_page_lists_and_schedules(app, login, queue_of_three):
    early, middle, late = queue_of_three
    clerk = login("clerk")
    page = clerk.get("/inspections").text
    rows = [page.index(f'href="/documents/{i}"') for i in (early, middle, late)]
    assert rows == sorted(rows)
    with app.app_context():
        executor_id = user("executor").id
    day = date.today() + timedelta(days=40)

    response = clerk.post(f"/inspections/{late}/schedule", data={
        "csrf_token": csrf_token(page), "inspector": str(executor_id),
        "day": day.isoformat(), "note": "с санитарным врачом"})

    assert response.status_code == 302
    after = clerk.get("/inspections").text
    assert day.strftime("%d.%m.%Y") in after and "с санитарным врачом" in after


def test_an_executor_has_no_queue_page(login):
    assert login("executor").get("/inspections").status_code == 403


def test_the_document_page_shows_the_visit(app, login, queue_of_three):
    early = queue_of_three[0]
    with app.app_context():
        schedule(db.session.get(Document, early), by=user("clerk"), inspector=user("executor"),
                 on=TODAY + timedelta(days=4), now=utcnow(), today=TODAY)
        db.session.commit()
        inspector = user("executor").full_name

    page = login("clerk").get(f"/documents/{early}").text

    section = page[page.index('class="card inspection"'):]
    assert (TODAY + timedelta(days=3)).strftime("%d.%m.%Y") in section  # ready on
    assert (TODAY + timedelta(days=4)).strftime("%d.%m.%Y") in section and inspector in section
