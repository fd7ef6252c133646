"""The clerk's inbox at 100,000 documents, against a primary-key lookup in the same run.

    .venv/bin/python bench/inbox.py [--documents 100000] [--database-url URL]

Fills a fresh database (SQLite by default; on PostgreSQL one INSERT ... SELECT over
generate_series, so --documents 1000000 takes a minute) with documents, then times the
queries behind the inbox: the first page, a page deep in the list (keyset paging), the
status counts, search by IIN and by name. A page should cost about the same wherever it is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import desk_app, median_time, report  # noqa: E402

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"


SURNAMES = ["Әбілқайыров", "Жұмабаева", "Төлегенов", "Омарова", "Сәрсенбаев", "Иванов"]


def _fill_postgresql(sender_id: int, count: int) -> None:
    """The same rows as ``_fill``, made by PostgreSQL itself: a million in a minute."""
    from sqlalchemy import text

    from app.extensions import db

    surnames = "ARRAY[" + ",".join(f"'{s}'" for s in SURNAMES) + "]"
    db.session.execute(text(f"""
        INSERT INTO documents (sender_id, sender_document_id, raw_sha256, raw_size,
            received_at, state, family, kind, author_iin, author_name, author_name_folded,
            recipient_name, short_content, language, indication, report, content_unverified,
            version, due_date_by_hand)
        SELECT :sender, 'B-' || lpad(n::text, 7, '0'), repeat('0', 64), 5000,
            timestamptz '2026-01-01 00:00:00+00' + n * interval '7 seconds',
            (ARRAY['received', 'registered', 'rejected'])[n % 3 + 1], 'appeal',
            'appeal_individual', lpad((850000000000 + n)::text, 12, '0'), name, lower(name),
            'Орган', 'Обращение ' || n, 'ru', 'PASSED', '{{}}', false, 1, false
        FROM (SELECT n, ({surnames})[n % {len(SURNAMES)} + 1] || ' Тест' || n AS name
              FROM generate_series(0, :count - 1) AS n) AS g
    """), {"sender": sender_id, "count": count})
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE documents")


def _fill(count: int) -> None:
    from sqlalchemy import insert

    from app.documents.models import Document, Sender
    from app.extensions import db

    sender = Sender(code="EGOV", name="egov", token_sha256="0" * 64)
    db.session.add(sender)
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        _fill_postgresql(sender.id, count)
        return
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(count):
        name = f"{SURNAMES[n % len(SURNAMES)]} Тест{n}"
        rows.append({
            "sender_id": sender.id, "sender_document_id": f"B-{n:07d}", "raw_sha256": "0" * 64,
            "raw_size": 5000, "received_at": start + timedelta(seconds=n * 7),
            "state": ["received", "registered", "rejected"][n % 3], "family": "appeal",
            "kind": "appeal_individual", "author_iin": f"{850000000000 + n:012d}",
            "author_name": name, "author_name_folded": name.casefold(),
            "recipient_name": "Орган", "short_content": f"Обращение {n}", "language": "ru",
            "indication": "PASSED", "report": {}, "content_unverified": False, "version": 1,
        })
        if len(rows) == 10_000:
            db.session.execute(insert(Document), rows)
            rows.clear()
    if rows:
        db.session.execute(insert(Document), rows)
    db.session.commit()




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()


    from app.documents.models import Document
    from app.extensions import db
    from app.registration.queries import InboxFilter, inbox_page, state_counts

    with tempfile.TemporaryDirectory() as tmp:
        app = desk_app(tmp, database_url=args.database_url, name="inbox")
        with app.app_context():
            db.drop_all()
            db.create_all()
            began = time.perf_counter()
            _fill(args.documents)
            print(f"{args.documents} documents inserted in {time.perf_counter() - began:.1f} s")

            reference = median_time(lambda: db.session.get(Document, args.documents // 2,
                                                     populate_existing=True))
            first = inbox_page(InboxFilter(zone=ZONE))
            deep_cursor = None
            page = first
            for _ in range(200):  # walk 10,000 rows deep to get a far cursor
                if not page.next_cursor:
                    break
                deep_cursor = page.next_cursor
                page = inbox_page(InboxFilter(zone=ZONE), after=deep_cursor)
            rows = [
                ("first page (50 rows)", lambda: inbox_page(InboxFilter(zone=ZONE))),
                ("page 200 (keyset)",
                 lambda: inbox_page(InboxFilter(zone=ZONE), after=deep_cursor)),
                ("status counts", state_counts),
                ("filter by status",
                 lambda: inbox_page(InboxFilter(state="registered", zone=ZONE))),
                ("search by IIN", lambda: inbox_page(InboxFilter(q="850000050000", zone=ZONE))),
                ("search by name",
                 lambda: inbox_page(InboxFilter(q="омарова тест9999", zone=ZONE))),
            ]
            report(rows, reference)


if __name__ == "__main__":
    main()
