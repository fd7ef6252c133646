"""The journal of registration lists the period's documents in order, as a printable PDF
and as a spreadsheet: number, date, author, kind, executor, deadline, outcome."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from app.documents.states import DocumentState
from app.errors import Refused
from app.extensions import db
from app.reports.discipline import Period
from app.reports.journal import journal_rows
from tests.factories import Org, answered_on, make_document, placed

QUERY = "start=2026-11-01&end=2026-11-30"


def _journal(app) -> None:
    with app.app_context():
        org = Org()
        first = placed(make_document(n=1), registered_at=datetime(2026, 11, 2, 5, tzinfo=UTC),
                       number="01-05/1", department=org.roads, executor=org.executor,
                       due=date(2026, 11, 20))
        answered_on(first, date(2026, 11, 10), "satisfied", signer=org.signer)
        placed(make_document(n=2, author_name="Ғалымжанова Әсел"),
               registered_at=datetime(2026, 11, 3, 5, tzinfo=UTC), number="01-05/2",
               state=DocumentState.IN_EXECUTION, department=org.other,
               executor=org.outsider, due=date(2026, 11, 24))
        # another month: not in November's journal
        placed(make_document(n=3), registered_at=datetime(2026, 12, 1, 5, tzinfo=UTC),
               number="01-05/3", department=org.roads)
        db.session.commit()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_journal_prints_as_a_pdf(app, login, client):
    _journal(app)
    login("clerk")
    response = client.get(f"/reports/journal.pdf?{QUERY}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data,
                          capture_output=True, check=True).stdout.decode()
    assert "Журнал регистрации" in text
    assert "01-05/1" in text and "01-05/2" in text and "01-05/3" not in text
    assert "Ғалымжанова Әсел" in text
    assert "Удовлетворено" in text and "20.11.2026" in text


def test_the_journal_as_a_spreadsheet_reads_back(app, login, client):
    _journal(app)
    login("clerk")
    response = client.get(f"/reports/journal.xlsx?{QUERY}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Журнал регистрации"
    assert rows[2][0] == "Период: 01.11.2026 – 30.11.2026"
    header = rows[5]
    assert header[0] == "Регистрационный номер"
    lines = [row for row in rows[6:] if row[0]]
    assert [row[0] for row in lines] == ["01-05/1", "01-05/2"]
    first = lines[0]
    # registered at 05:00 UTC is 10:00 in Almaty
    assert first[1] == datetime(2026, 11, 2, 10, 0)
    assert first[4] == "Test executor"
    assert first[5] == datetime(2026, 11, 20)  # a date cell; openpyxl reads it as midnight
    assert first[6] == "Удовлетворено"
    assert lines[1][6] == "На исполнении"


def test_a_head_journal_holds_his_departments_only(app, login, client):
    _journal(app)
    login("roads-head")
    page = client.get(f"/reports/journal?{QUERY}").text
    assert "01-05/1" in page and "01-05/2" not in page


def test_a_period_too_long_for_one_journal_is_refused_by_name(app, db_session):
    _journal(app)
    november = Period(date(2026, 11, 1), date(2026, 11, 30), "Asia/Almaty")
    with pytest.raises(Refused) as refused:
        journal_rows(november, scope=None, limit=1)
    assert refused.value.code == "journal_too_long"
    assert refused.value.details == {"count": 2, "limit": 1}
    # the page's preview reads the first rows whatever the period holds
    assert [row.number for row in journal_rows(november, scope=None, limit=1, first=1)] == [
        "01-05/1"]
