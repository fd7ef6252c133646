"""The discipline report counts the period's resolutions by the standard instruction the
head chose (app/reports/instructions.py)."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html
from sqlalchemy import select

from app.catalogues.models import StandardInstruction
from app.catalogues.service import chosen_instruction
from app.extensions import db
from app.resolution import service as resolution
from app.timeutil import utcnow
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document


def _resolutions(app) -> None:
    """Three documents passed down and assigned: 'for information' chosen three times
    (once reworded), the heads' own words for the rest."""
    with app.app_context():
        org = Org()
        item = db.session.scalar(select(StandardInstruction).where(
            StandardInstruction.code == "for-information"))
        for n, typed in enumerate(("", "", "Для сведения. Выехать на место"), start=1):
            doc = road.registered(make_document(n=n), org)
            chosen = chosen_instruction(item.id, typed, language="ru")
            resolution.pass_down(doc, head=org.head, to_department=org.roads, now=utcnow(),
                                 instruction=chosen.text, standard=chosen)
            resolution.assign(doc, head=org.roads_head, executor=org.executor,
                              due_date=date.today() + timedelta(days=3),
                              proposed=date.today() + timedelta(days=3), now=utcnow(),
                              instruction="Подготовить ответ", rules=deadline_rules())
        db.session.commit()


def _section(page: str) -> list[list[str]]:
    table = lxml.html.fromstring(page).xpath("//table[contains(@class, 'instructions')]")[0]
    return [[cell.text_content().strip() for cell in row.xpath("td")]
            for row in table.xpath(".//tbody/tr")]


def test_the_report_counts_resolutions_by_standard_instruction(app, login):
    _resolutions(app)
    admin = login("admin")
    admin.get("/language/ru")
    today = date.today().isoformat()
    rows = _section(admin.get(f"/reports/?start={today}&end={today}").text)
    assert rows == [["Для сведения", "3", "1"], ["Собственная формулировка руководителя", "3", "—"]]
    admin.get("/language/kk")
    rows = _section(admin.get(f"/reports/?start={today}&end={today}").text)
    assert rows[0] == ["Мәлімет үшін", "3", "1"]


def test_a_period_without_resolutions_says_so(app, login):
    _resolutions(app)
    admin = login("admin")
    rows = _section(admin.get("/reports/?start=2020-01-01&end=2020-01-31").text)
    assert len(rows) == 1 and rows[0][0]
