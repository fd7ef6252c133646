"""The clerk's inbox at 100,000 documents, against a primary-key lookup in the same run.

    .venv/bin/python bench/inbox.py [--documents 100000] [--database-url URL]

Fills a fresh database (SQLite by default; on PostgreSQL one INSERT ... SELECT over
generate_series, so --documents 1000000 takes a minute) with documents, then times the
queries behind the inbox: the first page, a page deep in the list (keyset paging), the
status counts, search by IIN and by name; then the inbox pages themselves as a clerk gets
them: every statement's time, and the templates'. A page should cost about the same
wherever it is. --reuse times what a previous run filled, its schema first upgraded to the
newest migration as ``qujat db upgrade`` does (bench/desks.py says more; --stamp).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    Statements,
    add_reuse_options,
    desk_app,
    fresh_schema,
    median_time,
    report,
    time_page,
    upgraded_schema,
)

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"


PASSWORD = "bench-inbox-2026"
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
    add_reuse_options(parser)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from app.documents.models import Document
    from app.extensions import db
    from app.registration.queries import InboxFilter, inbox_page, state_counts

    with tempfile.TemporaryDirectory() as tmp:
        app = desk_app(tmp, database_url=args.database_url, name="inbox")
        with app.app_context():
            if args.reuse:
                print(f"schema upgraded to {upgraded_schema(stamp=args.stamp)}")
                args.documents = db.session.scalar(select(func.count(Document.id))) or 0
            else:
                fresh_schema()
                began = time.perf_counter()
                _fill(args.documents)
                print(f"{args.documents} documents inserted in "
                      f"{time.perf_counter() - began:.1f} s")
            if db.engine.dialect.name == "postgresql":
                from app.search.index import create_trigram_index
                from app.search.models import AUTHOR_TRIGRAM_INDEX

                with db.engine.begin() as connection:  # as the migration does
                    create_trigram_index(connection, table="documents",
                                         column="author_name_folded",
                                         name=AUTHOR_TRIGRAM_INDEX)
            _clerk()
            some_id = db.session.scalar(select(func.min(Document.id))) + args.documents // 2
            reference = median_time(lambda: db.session.get(Document, some_id,
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
            db.session.remove()
        _pages(app, deep_cursor, args.repeat)


def _clerk() -> None:
    from werkzeug.security import generate_password_hash

    from app.auth.models import Role, User, UserRole
    from app.extensions import db

    if db.session.scalar(select(User).where(User.login == "clerk")) is None:
        db.session.add(User(login="clerk", full_name="Clerk",
                            password_hash=generate_password_hash(PASSWORD),
                            roles=[UserRole(role=Role.CLERK)]))
        db.session.commit()


def _pages(app, deep_cursor: str | None, repeat: int) -> None:
    """The inbox as the clerk gets it through the app: SQL and templates."""
    from app.documents.models import Document
    from app.extensions import db

    with app.app_context():
        statements = Statements(db.engine, app)
        some_id = db.session.scalar(select(func.max(Document.id))) // 2
        db.session.remove()
    pages = [("inbox: to do", "/"), ("inbox: all", "/?show=all"),
             ("inbox: all, page 201", f"/?show=all&after={quote(deep_cursor or '')}"),
             ("inbox: registered", "/?state=registered"),
             ("inbox: search by name", "/?show=all&q=омарова+тест9999")]
    print(f"{'page':<36} {'SQL':>8}    {'x ref':>7} {'stmts':>5} {'render':>9}    "
          f"{'x ref':>7} {'request':>9}")
    for name, url in pages:
        sql, wall, n, _per, render = time_page(app, statements, "clerk", PASSWORD, url,
                                               repeat)
        with app.app_context():
            reference = median_time(lambda: db.session.get(Document, some_id,
                                                           populate_existing=True), repeat)
            db.session.remove()
        print(f"{name:<36} {sql * 1000:8.2f} ms {sql / reference:7.1f}x {n:5d} "
              f"{render * 1000:6.1f} ms {render / reference:7.1f}x {wall * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
