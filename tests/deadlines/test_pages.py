"""The pages: the administrator edits the rules and the calendar (CSRF forms), the
document page explains the deadline, the head's desk shows it before the resolution."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.deadlines.models import CalendarDay, DeadlineRuleRecord
from app.documents.models import Document
from app.documents.states import Action
from app.extensions import db
from tests.conftest import csrf_token
from tests.execution import road
from tests.factories import Org, make_document


def _registered(app, **document) -> tuple[int, date]:
    """A document registered and waiting for the head's resolution: (id, due date)."""
    with app.app_context():
        doc = road.registered(make_document(**document), Org())
        db.session.commit()
        return doc.id, doc.due_date


def _rule_form(rule: str, token: str, **changes) -> dict:
    """The posted edit form of ``rule`` (its fields prefixed by the rule's code)."""
    fields = {"code": rule, "kind": "statement", "period": "15", "unit": "working_days",
              "starts_on": "registration", "citation": "АППК РК", "note": "",
              "valid_from": "2021-07-01", **changes}
    prefix = f"r-{rule}"
    return {"prefix": prefix, f"{prefix}-csrf_token": token,
            **{f"{prefix}-{k}": v for k, v in fields.items()}}


def _rule(app, code: str):
    with app.app_context():
        row = db.session.scalar(select(DeadlineRuleRecord).where(DeadlineRuleRecord.code == code))
        return None if row is None else (row.period, row.updated_by_id is not None)


def test_the_administrator_reads_and_changes_a_rule(app, login):
    doc_id, before = _registered(app)
    client = login("admin")
    page = client.get("/admin/deadline-rules")
    assert page.status_code == 200
    assert "appc-complaint-2021" in page.text and "licence_new" in page.text
    assert "не сверен" in page.text  # the notes say what is not confirmed
    token = csrf_token(page.text)

    answer = client.post("/admin/deadline-rules",
                         data=_rule_form("appc-statement-2021", token, period="5"),
                         follow_redirects=True)
    assert answer.status_code == 200
    assert _rule(app, "appc-statement-2021") == (5, True)
    assert _rule(app, "appc-complaint-2021") == (20, False)  # the rest seeded on the edit
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        assert doc.due_date < before
        assert doc.history[-1].action is Action.RECOMPUTE_DEADLINE


def test_a_rule_form_without_its_token_or_with_nonsense_is_refused(app, login):
    client = login("admin")
    token = csrf_token(client.get("/admin/deadline-rules").text)
    assert client.post("/admin/deadline-rules",
                       data=_rule_form("appc-statement-2021", "x")).status_code == 400
    for nonsense in ({"period": "0"}, {"kind": "petition"}, {"citation": ""},
                     {"code": "Not A Code"}):
        client.post("/admin/deadline-rules",
                    data=_rule_form("appc-statement-2021", token, **nonsense))
    assert _rule(app, "appc-statement-2021") is None  # nothing was saved


def test_only_an_administrator_opens_the_pages(app, login):
    client = login("head")
    assert client.get("/admin/deadline-rules").status_code == 403
    assert client.get("/admin/calendar").status_code == 403


def _swaps(app) -> dict[date, bool]:
    with app.app_context():
        return {d.day: d.working for d in db.session.scalars(select(CalendarDay))}


def test_the_administrator_moves_a_day_and_removes_it(app, login):
    client = login("admin")
    page = client.get("/admin/calendar?year=2026")
    assert page.status_code == 200 and "Наурыз мейрамы" in page.text
    token = csrf_token(page.text)
    client.post("/admin/calendar", data={"csrf_token": token, "day": "2026-12-31",
                                         "working": "0", "note": "Постановление № 7"})
    client.post("/admin/calendar", data={"csrf_token": token, "day": "2026-12-26",
                                         "working": "1", "note": ""})
    refused = client.post("/admin/calendar", data={
        "csrf_token": token, "day": "2026-12-27", "working": "0", "note": ""},
        follow_redirects=True)
    assert "27.12.2026" in refused.text  # a Sunday is off already: said, nothing stored
    assert _swaps(app) == {date(2026, 12, 31): False, date(2026, 12, 26): True}
    assert "Постановление № 7" in client.get("/admin/calendar").text

    client.post("/admin/calendar/2026-12-31/delete", data={"csrf_token": token})
    assert _swaps(app) == {date(2026, 12, 26): True}
    assert client.post("/admin/calendar/2026-01-01/delete",
                       data={"csrf_token": token}).status_code == 404


def test_the_document_page_explains_the_deadline(app, login):
    arrived = datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # 19:00 on Friday, before Women's Day
    doc_id, due = _registered(app, received_at=arrived)
    page = login("admin").get(f"/documents/{doc_id}").text
    assert "appc-statement-2021" in page
    assert "Административный процедурно-процессуальный кодекс" in page
    assert "10.03.2026" in page  # registered on the next working day
    assert "Международный женский день (перенесённый выходной)" in page
    assert due.strftime("%d.%m.%Y") in page


def test_the_heads_desk_shows_the_deadline_before_the_resolution(app, login):
    _doc_id, due = _registered(app)
    page = login("head").get("/resolution/").text
    assert due.strftime("%d.%m.%Y") in page


def test_a_deadline_the_head_shortened_is_shown_beside_the_legal_one(app, login):
    from app.resolution import service as resolution
    from app.timeutil import utcnow

    with app.app_context():
        org = Org()
        doc = road.registered(make_document(), org)
        legal = doc.due_date
        resolution.assign(doc, head=org.head, executor=org.executor,
                          due_date=legal - timedelta(days=2), proposed=legal, now=utcnow(),
                          zone="Asia/Almaty")
        db.session.commit()
        doc_id, shortened = doc.id, doc.due_date
    page = login("head").get(f"/documents/{doc_id}").text
    assert legal.strftime("%d.%m.%Y") in page
    assert "set by the head" in page or "установлен руководителем" in page
    assert shortened.strftime("%d.%m.%Y") in page
