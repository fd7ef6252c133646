"""The heads' and executors' lists: days left as numbers, "due today", and sorting and
filtering by status, kind and deadline."""

from __future__ import annotations

import re
from datetime import timedelta

from app.extensions import db
from app.settings import current_settings
from app.timeutil import utcnow
from app.workflow.deadlines import DeadlineRules
from tests.execution import road
from tests.factories import Org, make_document


def _in_execution(app) -> dict[str, int]:
    """Three documents the management head gave to "executor": overdue by two days, due
    today, due in five days (the last one of a legal entity)."""
    with app.app_context():
        org = Org()
        today = DeadlineRules.of(current_settings()).today(utcnow())
        ids = {}
        for n, (name, days, kind) in enumerate([("overdue", -2, "appeal_individual"),
                                                 ("today", 0, "appeal_individual"),
                                                 ("later", 5, "appeal_legal")], start=1):
            doc = road.assigned(road.registered(make_document(n=n, kind=kind), org), org)
            doc.due_date = today + timedelta(days=days)
            ids[name] = doc.id
        db.session.commit()
        return ids


def _order(page: str, ids: dict[str, int]) -> list[str]:
    where = {name: page.find(f'href="/documents/{ident}"') for name, ident in ids.items()}
    return [name for name in sorted(where, key=where.get) if where[name] >= 0]


def _days(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r'<td class="days-cell">(.*?)</td>', page, re.S)]


def test_the_head_sees_days_left_and_due_today(app, login):
    ids = _in_execution(app)
    client = login("head")
    client.get("/language/en")

    page = client.get("/resolution/?tab=control").text

    assert _order(page, ids) == ["overdue", "today", "later"]
    assert _days(page) == ["−2", "due today", "5"]


def test_the_head_filters_by_deadline_and_kind_and_sorts(app, login):
    ids = _in_execution(app)
    client = login("head")

    assert _order(client.get("/resolution/?tab=control&due=today").text, ids) == ["today"]
    assert _order(client.get("/resolution/?tab=control&due=overdue").text, ids) == ["overdue"]
    assert _order(client.get("/resolution/?tab=control&kind=appeal_legal").text,
                  ids) == ["later"]
    assert _order(client.get("/resolution/?tab=control&sort=newest").text,
                  ids) == ["later", "today", "overdue"]
    assert _order(client.get("/resolution/?tab=control&state=on_approval").text, ids) == []
    # nonsense filters nothing
    assert len(_order(client.get("/resolution/?tab=control&due=x&sort=y&state=z").text,
                      ids)) == 3


def test_the_executor_filters_his_documents(app, login):
    ids = _in_execution(app)
    client = login("executor")
    client.get("/language/en")

    page = client.get("/execution/").text
    assert _days(page) == ["−2", "due today", "5"]
    assert _order(client.get("/execution/?due=week").text, ids) == ["today", "later"]
    assert _order(client.get("/execution/?sort=newest").text, ids) == [
        "later", "today", "overdue"]
