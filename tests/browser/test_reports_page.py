"""A head opens the discipline report in a real browser: the chart is drawn (no script, no
network), its bars as long as the figures say, and the table beside it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.documents.states import DocumentState
from app.extensions import db
from tests.conftest import PASSWORD
from tests.factories import Org, answered_on, make_document, placed


def _two_answered_one_overdue(app) -> None:
    with app.app_context():
        org = Org()
        for n, (due, answered) in enumerate([(date(2026, 11, 20), date(2026, 11, 10)),
                                             (date(2026, 11, 13), date(2026, 11, 17))], start=1):
            document = placed(make_document(n=n), number=f"R-{n}", department=org.roads,
                              registered_at=datetime(2026, 11, n + 1, 5, tzinfo=UTC),
                              executor=org.executor, due=due)
            answered_on(document, answered, "satisfied", signer=org.signer, n=n)
        placed(make_document(n=3), number="R-3", registered_at=datetime(2026, 11, 5, 5,
                                                                        tzinfo=UTC),
               state=DocumentState.IN_EXECUTION, department=org.roads,
               executor=org.executor, due=date(2026, 11, 25))
        db.session.commit()


@pytest.mark.browser
def test_a_head_sees_the_chart_and_the_figures(app, live_server, browser, tmp_path):
    _two_answered_one_overdue(app)
    page = browser.new_page(locale="ru-RU", viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "head")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/reports/?start=2026-11-01&end=2026-11-30")
    page.screenshot(path=str(tmp_path / "reports.png"), full_page=True)

    chart = page.locator("svg.chart")
    assert chart.bounding_box()["width"] > 400
    bars = {title: page.locator(f"svg.chart rect:has(title:text-is('{title}'))")
            for title in ("Исполнено в срок: 1", "Исполнено с нарушением срока: 1",
                          "Просрочено сейчас: 1")}
    # three equal parts, one document each, on the management's bar and the roads' bar
    widths = {title: [bar.bounding_box()["width"] for bar in locator.all()]
              for title, locator in bars.items()}
    assert all(len(found) == 2 for found in widths.values()), widths
    assert len({round(w) for found in widths.values() for w in found}) == 1
    row = page.locator("table.figures tr", has_text="Отдел дорог").first
    assert row.locator("td").nth(1).inner_text() == "3"
    assert all(url.startswith(live_server) for url in requests)
