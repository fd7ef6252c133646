"""The discipline report counts what became of the documents registered in a period, per
department (with those below), per executor and per kind; every figure below was counted
by hand from the eight documents of ``_november``."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from app.documents.states import DocumentState
from app.errors import PermissionDenied
from app.extensions import db
from app.reports.discipline import Period, discipline_report
from app.resolution.models import Resolution, ResolutionKind
from app.workflow.permissions import report_scope
from tests.factories import Org, answered_on, make_document, placed, user

ZONE = "Asia/Almaty"  # UTC+5
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), ZONE)
TODAY = date(2026, 12, 1)
S = DocumentState


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _november(org: Org) -> None:
    """Registered in November in Almaty (05:00 UTC is 10:00 there):

    A roads, executor: due 20.11, answered 10.11 satisfied  -> on time, 8 days
    B roads, executor: due 13.11, answered 17.11 refused    -> late, 14 days
    C management, coexecutor: due 25.11, in execution, extended -> in work, overdue
    D management: redirected;  F roads: left without consideration
    E education, outsider, licence: due 30.11, answered 12.11 explained -> on time, 3 days
    H not routed: 30.11 at 23:30 Almaty (18:30 UTC), due 21.12 -> in work, not overdue
    and two outside: 31.10 at 23:30 Almaty, 01.12 at 00:10 Almaty (still 30.11 in UTC).
    """
    docs = {name: make_document(n=i) for i, name in enumerate("ABCDEFGHI", start=1)}
    docs["E"].kind = "licence_new"
    placed(docs["A"], registered_at=_utc(2026, 11, 2, 5), number="R-A", department=org.roads,
           executor=org.executor, due=date(2026, 11, 20))
    answered_on(docs["A"], date(2026, 11, 10), "satisfied", signer=org.signer, n=1)
    placed(docs["B"], registered_at=_utc(2026, 11, 3, 5), number="R-B", department=org.roads,
           executor=org.executor, due=date(2026, 11, 13))
    answered_on(docs["B"], date(2026, 11, 17), "refused", signer=org.signer, n=2)
    placed(docs["C"], registered_at=_utc(2026, 11, 5, 5), number="R-C", state=S.IN_EXECUTION,
           department=org.management, executor=org.coexecutor, due=date(2026, 11, 25))
    db.session.add(Resolution(document=docs["C"], level=1, kind=ResolutionKind.DEADLINE,
                              author=org.head, created_at=_utc(2026, 11, 20, 5),
                              due_date=date(2026, 11, 25),
                              extension_reason="Ждём ответа другого органа"))
    placed(docs["D"], registered_at=_utc(2026, 11, 6, 5), number="R-D", state=S.REDIRECTED,
           department=org.management)
    placed(docs["E"], registered_at=_utc(2026, 11, 9, 5), number="R-E", department=org.other,
           executor=org.outsider, due=date(2026, 11, 30))
    answered_on(docs["E"], date(2026, 11, 12), "explained", signer=org.signer, n=3)
    placed(docs["F"], registered_at=_utc(2026, 11, 10, 5), number="R-F",
           state=S.LEFT_WITHOUT_CONSIDERATION, department=org.roads)
    placed(docs["H"], registered_at=_utc(2026, 11, 30, 18, 30), number="R-H",
           state=S.REGISTERED, due=date(2026, 12, 21))
    placed(docs["G"], registered_at=_utc(2026, 10, 31, 18, 30), number="R-G",
           department=org.roads)
    placed(docs["I"], registered_at=_utc(2026, 11, 30, 19, 10), number="R-I",
           department=org.roads)
    db.session.flush()


def _figures(line) -> dict:
    f = line.figures
    return {k: getattr(f, k) for k in ("received", "on_time", "late", "in_work", "overdue",
                                       "extended", "redirected", "left", "satisfied",
                                       "refused", "explained")} | {"avg": f.average_days}


def _fig(received=0, on_time=0, late=0, in_work=0, overdue=0, extended=0, redirected=0,
         left=0, satisfied=0, refused=0, explained=0, avg=None) -> dict:
    return dict(received=received, on_time=on_time, late=late, in_work=in_work,
                overdue=overdue, extended=extended, redirected=redirected, left=left,
                satisfied=satisfied, refused=refused, explained=explained, avg=avg)


def test_the_administrator_sees_every_document_counted_by_hand(app, db_session):
    org = Org()
    _november(org)
    report = discipline_report(NOVEMBER, today=TODAY, scope=None, unrouted_label="none",
                               unassigned_label="nobody")
    total = _fig(received=7, on_time=2, late=1, in_work=2, overdue=1, extended=1,
                 redirected=1, left=1, satisfied=1, refused=1, explained=1, avg=8.3)
    assert _figures(type("L", (), {"figures": report.total})) == total

    departments = {line.name: (line.depth, _figures(line)) for line in report.departments}
    assert departments == {
        "Руководство": (0, _fig(received=5, on_time=1, late=1, in_work=1, overdue=1,
                                extended=1, redirected=1, left=1, satisfied=1, refused=1,
                                avg=11.0)),
        "Отдел дорог": (1, _fig(received=3, on_time=1, late=1, left=1, satisfied=1,
                                refused=1, avg=11.0)),
        "Отдел образования": (0, _fig(received=1, on_time=1, explained=1, avg=3.0)),
        "none": (0, _fig(received=1, in_work=1)),
    }
    executors = {line.name: _figures(line) for line in report.executors}
    assert executors == {
        "Test executor": _fig(received=2, on_time=1, late=1, satisfied=1, refused=1,
                              avg=11.0),
        "Сейітов Асқар": _fig(received=1, in_work=1, overdue=1, extended=1),
        "Бекова Әйгерім": _fig(received=1, on_time=1, explained=1, avg=3.0),
        "nobody": _fig(received=3, in_work=1, redirected=1, left=1),
    }
    assert [line.name for line in report.executors][-1] == "nobody"
    kinds = {line.name: line.figures.received for line in report.kinds}
    assert kinds == {"appeal_individual": 6, "licence_new": 1}


def test_a_head_sees_his_departments_and_those_below_only(app, db_session):
    org = Org()
    _november(org)
    head = discipline_report(NOVEMBER, today=TODAY, scope=report_scope(org.head))
    assert [(line.name, line.figures.received) for line in head.departments] == [
        ("Руководство", 5), ("Отдел дорог", 3)]
    assert head.total.received == 5
    roads = discipline_report(NOVEMBER, today=TODAY, scope=report_scope(org.roads_head))
    assert [(line.name, line.figures.received) for line in roads.departments] == [
        ("Отдел дорог", 3)]
    assert {line.name for line in roads.executors} == {"Test executor", "—"}
    with pytest.raises(PermissionDenied):
        report_scope(org.executor)
    # the clerk keeps the journal of everything, but the discipline report is the heads'
    assert report_scope(user("clerk"), journal=True) is None
    with pytest.raises(PermissionDenied):
        report_scope(user("clerk"))


def _period(query: str = "start=2026-11-01&end=2026-11-30") -> str:
    return query


def test_the_page_shows_the_figures_and_a_chart(app, login, client):
    with app.app_context():
        _november(Org())
        db.session.commit()
    login("admin")
    page = client.get(f"/reports/?{_period()}")
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text
    assert "Руководство" in page.text and "Отдел образования" in page.text
    # the period's errors are said next to its fields
    wrong = client.get("/reports/?start=2026-11-30&end=2026-11-01")
    assert "field-error" in wrong.text
    assert client.get("/reports/discipline.csv?start=2026-11-30&end=2026-11-01"
                      ).status_code == 422


def test_a_plain_executor_is_refused_the_reports(app, login, client):
    login("executor")
    assert client.get("/reports/").status_code == 403


def test_the_csv_and_the_xlsx_hold_the_same_figures_titled_and_dated(app, login, client):
    with app.app_context():
        _november(Org())
        db.session.commit()
    login("admin")
    response = client.get(f"/reports/discipline.csv?{_period()}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Отчёт об исполнительской дисциплине"]
    assert rows[2] == ["Период: 01.11.2026 – 30.11.2026"]
    assert rows[3][0].startswith("Составлен ")
    by_name = {row[0].strip(): row for row in rows if row}
    header = next(row for row in rows if row and "Поступило за период" in row)
    management = dict(zip(header[1:], by_name["Руководство"][1:], strict=True))
    assert management["Поступило за период"] == "5"
    assert management["Исполнено с нарушением срока"] == "1"
    assert management["Средний срок ответа, дней"] == "11.0"
    assert by_name["Итого"][1] == "7"

    response = client.get(f"/reports/discipline.xlsx?{_period()}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Отчёт об исполнительской дисциплине"
    assert values[2][0] == "Период: 01.11.2026 – 30.11.2026"
    line = next(row for row in values if row[0] and row[0].strip() == "Руководство")
    assert list(line[1:13]) == [5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 11.0]
    total = next(row for row in values if row[0] == "Итого")
    assert total[1] == 7 and total[12] == 8.3
