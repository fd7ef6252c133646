"""The administrator keeps the registration journals' number patterns at /admin/journals:
the next number shown in each language, a pattern refused comes back as typed with the
reason by its field, every change in the audit log."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select

from app.audit.models import AuditEntry, AuditKind
from app.extensions import db
from app.journals.models import Journal
from tests.conftest import csrf_token


def _journal(app, code: str = "outgoing") -> tuple[int, str, str | None]:
    with app.app_context():
        journal = db.session.scalar(select(Journal).where(Journal.code == code))
        return journal.id, journal.pattern, journal.pattern_kk


def _post(client, journal_id: int, **fields):
    token = csrf_token(client.get("/admin/journals").text)
    return client.post(f"/admin/journals/{journal_id}", data={
        f"j{journal_id}-csrf_token": token,
        **{f"j{journal_id}-{name}": value for name, value in fields.items()}})


def test_the_admin_sees_each_journal_and_its_next_number(app, login):
    admin = login("admin")
    page = admin.get("/admin/journals")
    assert page.status_code == 200
    year = str(__import__("datetime").date.today().year)
    assert f"ИСХ-{year}-000001" in page.text and f"ШЫҒ-{year}-000001" in page.text
    # what each journal numbers, in words
    assert "Исходящие письма" in page.text and "outgoing_letter" not in page.text
    assert "Обращение физического лица" in page.text
    assert login("head").get("/admin/journals").status_code == 403


def test_the_admin_changes_both_patterns_and_the_log_says_so(app, login):
    journal_id, before, _kk = _journal(app)
    admin = login("admin")
    answer = _post(admin, journal_id, pattern="ИСХ/{year}/{seq:05d}",
                   pattern_kk="ШЫҒ/{year}/{seq:05d}")
    assert answer.status_code == 302
    assert _journal(app)[1:] == ("ИСХ/{year}/{seq:05d}", "ШЫҒ/{year}/{seq:05d}")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.kind == AuditKind.JOURNAL_PATTERN_SET)).one()
        assert entry.details["before"] == before
        assert entry.details["after_kk"] == "ШЫҒ/{year}/{seq:05d}"
    log = admin.get("/admin/audit?kind=journal_pattern_set").text
    assert "Журнал «" in log


def test_a_pattern_refused_comes_back_as_typed_with_the_reason_by_its_field(app, login):
    journal_id, before, before_kk = _journal(app)
    admin = login("admin")
    answer = _post(admin, journal_id, pattern="ИСХ-{year}-{seq:06d}-Б",
                   pattern_kk="ШЫҒ-{year}")  # the Kazakh one without the sequence
    assert answer.status_code == 422
    page = lxml.html.fromstring(answer.text)
    assert page.xpath("//input[@name=$n]/@value", n=f"j{journal_id}-pattern") == [
        "ИСХ-{year}-{seq:06d}-Б"]
    assert page.xpath("//input[@name=$n]/@value", n=f"j{journal_id}-pattern_kk") == [
        "ШЫҒ-{year}"]
    label = page.xpath("//input[@name=$n]/ancestor::label[1]", n=f"j{journal_id}-pattern_kk")[0]
    assert "{seq}" in label.text_content() and "номер" in label.text_content()
    assert not page.xpath("//input[@name=$n]/ancestor::label[1]//*[@class='field-error']",
                          n=f"j{journal_id}-pattern")
    assert _journal(app)[1:] == (before, before_kk)  # nothing changed
