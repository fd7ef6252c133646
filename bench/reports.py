"""The executive-discipline report and the journal of registration at 100,000 documents,
against a ``SELECT count(*)`` over the documents table measured in the same run.

    .venv/bin/python bench/reports.py [--documents 100000] [--database-url URL]

Fills a fresh database (bulk inserts) with a year of registrations over 20 departments (a
management with 19 below it) and 200 executors, in every state of the road, a signed
letter for each answered document (a third of them late) and an extension for every
twentieth in work; then times the report for the whole year (the administrator: every
document), for one department head, and a month's journal. The target is under a second
for the whole year on PostgreSQL: the report is three GROUP BY queries, so it should cost a
small multiple of one scan of the table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import desk_app, median_time  # noqa: E402

STATES = ["registered", "on_resolution", "in_execution", "on_approval", "on_signature",
          "answered", "answered", "answered", "redirected", "left_without_consideration"]
OUTCOMES = ["satisfied", "refused", "explained", "licence_issued"]
KINDS = ["appeal_individual", "appeal_legal", "licence_new", "sanitary_notification"]
YEAR = date(2026, 1, 1)


def _fill(count: int):
    from sqlalchemy import insert, select

    from app.auth.models import Role, User, UserRole
    from app.documents.models import Document, Sender
    from app.execution.models import Letter
    from app.extensions import db
    from app.org.models import Department
    from app.resolution.models import Resolution

    sender = Sender(code="EGOV", name="egov", token_sha256="0" * 64)
    heads = [User(login=f"head{n}", full_name=f"Head {n}", password_hash="x",
                  roles=[UserRole(role=Role.HEAD)]) for n in range(20)]
    executors = [User(login=f"ex{n}", full_name=f"Executor {n}", password_hash="x",
                      roles=[UserRole(role=Role.EXECUTOR)]) for n in range(200)]
    signer = User(login="signer", full_name="Signer", password_hash="x",
                  roles=[UserRole(role=Role.SIGNER)])
    db.session.add_all([sender, *heads, *executors, signer])
    db.session.flush()
    top = Department(code="D0", name="Management", head=heads[0])
    departments = [top] + [Department(code=f"D{n}", name=f"Department {n}", parent=top,
                                      head=heads[n]) for n in range(1, 20)]
    db.session.add_all(departments)
    db.session.flush()
    # midnight of New Year in Almaty (UTC+5), then evenly through 364 days
    start = datetime.combine(YEAR, datetime.min.time(), UTC) - timedelta(hours=5)
    step = timedelta(days=364) / count
    documents, letters, resolutions = [], [], []

    def flush() -> None:
        for model, rows in ((Document, documents), (Letter, letters),
                            (Resolution, resolutions)):
            if rows:
                db.session.execute(insert(model), rows)
                rows.clear()

    for n in range(count):
        state = STATES[n % len(STATES)]
        registered = start + step * n
        department = departments[n % 20]
        assigned = state not in ("registered", "on_resolution", "redirected",
                                 "left_without_consideration")
        executor = executors[n % 200] if assigned else None
        due = registered.date() + timedelta(days=21)
        documents.append({
            "id": n + 1, "sender_id": sender.id, "sender_document_id": f"B-{n:07d}",
            "raw_sha256": "0" * 64, "raw_size": 5000, "received_at": registered,
            "registered_at": registered, "registration_number": f"01-{n:07d}",
            "state": state, "family": "appeal", "kind": KINDS[n % len(KINDS)],
            "author_name": f"Автор {n}", "author_name_folded": f"автор {n}",
            "recipient_name": "Орган", "short_content": f"Обращение {n}", "language": "ru",
            "indication": "PASSED", "report": {}, "content_unverified": False, "version": 1,
            "department_id": department.id if state != "registered" else None,
            "executor_id": executor.id if executor else None,
            "due_date": due if state != "registered" else None,
        })
        if state == "answered":
            late = n % 10 == 5
            answered_on = due + timedelta(days=3) if late else registered.date() + timedelta(
                days=5 + n % 12)
            letters.append({
                "document_id": n + 1, "outgoing_number": f"OUT-{n:07d}",
                "outgoing_date": answered_on, "outcome": OUTCOMES[n % len(OUTCOMES)],
                "language": "ru", "signer_id": signer.id,
                "signed_at": datetime.combine(answered_on, datetime.min.time(), UTC),
                "certificate_subject": "CN=bench", "certificate_serial": "1", "xml": b"<l/>"})
        if assigned and n % 20 == 2:
            resolutions.append({"document_id": n + 1, "level": 1, "kind": "deadline",
                                "author_id": department.head_id, "created_at": registered,
                                "instruction": "", "due_date": due,
                                "extension_reason": "ждём ответа"})
        if len(documents) == 10_000:
            flush()
    flush()
    db.session.commit()
    return db.session.scalar(select(User).where(User.login == "head7"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from sqlalchemy import text

    from app.extensions import db
    from app.reports.discipline import Period, discipline_report
    from app.reports.journal import journal_rows
    from app.workflow.permissions import report_scope

    with tempfile.TemporaryDirectory() as tmp:
        app = desk_app(tmp, database_url=args.database_url, name="reports")
        with app.app_context():
            db.drop_all()
            db.create_all()
            began = time.perf_counter()
            head = _fill(args.documents)
            print(f"{args.documents} documents inserted in {time.perf_counter() - began:.1f} s"
                  f" on {db.engine.dialect.name}")
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            year = Period(YEAR, date(2026, 12, 31), "Asia/Almaty")
            month = Period(date(2026, 3, 1), date(2026, 3, 31), "Asia/Almaty")
            today = date(2026, 12, 1)
            head_scope = report_scope(head)
            check = discipline_report(year, today=today, scope=None)
            assert check.total.received == args.documents, check.total
            reference = median_time(
                lambda: db.session.execute(text("SELECT count(*) FROM documents")).scalar(),
                repeat=10)
            print(f"{'SELECT count(*) FROM documents (reference)':<46} "
                  f"{reference * 1000:8.1f} ms")
            rows = [
                ("report, a year, every document", lambda: discipline_report(
                    year, today=today, scope=None)),
                ("report, a year, one department head", lambda: discipline_report(
                    year, today=today, scope=head_scope)),
                ("report, a month, every document", lambda: discipline_report(
                    month, today=today, scope=None)),
                ("journal, a month (rows read)", lambda: journal_rows(month, scope=None)),
            ]
            for name, fn in rows:
                median = median_time(fn, repeat=5)
                print(f"{name:<46} {median * 1000:8.1f} ms   {median / reference:6.1f}x reference")


if __name__ == "__main__":
    main()
