"""The clerk's inbox at 100,000 documents, against a primary-key lookup in the same run.

    .venv/bin/python bench/inbox.py [--documents 100000] [--database-url URL]

Fills a fresh database (SQLite by default) with documents, then times the queries behind
the inbox: the first page, a page deep in the list (keyset paging), the status counts,
search by IIN and by name. A page should cost about the same wherever it is.
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


def _fill(count: int) -> None:
    from sqlalchemy import insert

    from app.documents.models import Document, Sender
    from app.extensions import db

    sender = Sender(code="EGOV", name="egov", token_sha256="0" * 64)
    db.session.add(sender)
    db.session.flush()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    surnames = ["Әбілқайыров", "Жұмабаева", "Төлегенов", "Омарова", "Сәрсенбаев", "Иванов"]
    rows = []
    for n in range(count):
        name = f"{surnames[n % len(surnames)]} Тест{n}"
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
