"""Search at 100,000 documents, against a primary-key lookup in the same run.

    .venv/bin/python bench/search.py --database-url postgresql://.../scratch [--documents N]

Fills a fresh database (PostgreSQL is the target; SQLite by default) with documents whose
authors, subjects and texts mix Kazakh and Russian, folds them as intake does, builds the
trigram index (PostgreSQL, when pg_trgm is there), then times what the search page asks:
a name typed on a Russian keyboard, a part of an IIN, a part of a registration number, a
rare word of the text, a common word (thousands of hits, the newest 100 shown), and the
same as an executor whose rights are part of the query. Target: under 100 ms each.
--reuse times the documents a previous run left, its schema first upgraded to the newest
migration as ``qujat db upgrade`` does (bench/desks.py says more; --stamp).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    add_reuse_options,
    desk_app,
    fresh_schema,
    median_time,
    report,
    upgraded_schema,
)

SURNAMES = ["Әбілқайыров", "Жұмабаева", "Төлегенов", "Омарова", "Сәрсенбаев", "Иванов",
            "Нұрғалиев", "Өтегенова", "Қасымов", "Ғабдуллина", "Петрова", "Үсенов"]
NAMES = ["Нұрлан", "Сәуле", "Асқар", "Дана", "Берік", "Әйгерім", "Фёдор", "Ұлжан"]
SUBJECTS = ["О ремонте дороги", "Об уличном освещении", "О вывозе мусора",
            "О ремонте крыши школы", "Жол жөндеу туралы", "Көше жарығы туралы",
            "О выдаче лицензии", "О благоустройстве двора", "Су құбыры туралы",
            "О работе автобуса"]
WORDS = ("прошу рассмотреть вопрос жители улицы дома района аула өтінемін қарау "
         "мәселе тұрғындары көшесі ауданы просим принять меры срочно яма асфальт "
         "фонарь автобус маршрут мектеп школа двор детская площадка").split()


def _fill(count: int):
    from sqlalchemy import insert

    from app.auth.models import Role, User, UserRole
    from app.documents.models import Document, Sender
    from app.extensions import db
    from app.search.index import searchable_text
    from app.search.models import DocumentSearch

    sender = Sender(code="EGOV", name="egov", token_sha256="0" * 64)
    clerk = User(login="clerk", full_name="Clerk", password_hash="x",
                 roles=[UserRole(role=Role.CLERK)])
    executor = User(login="ex", full_name="Executor", password_hash="x",
                    roles=[UserRole(role=Role.EXECUTOR)])
    db.session.add_all([sender, clerk, executor])
    db.session.flush()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    documents, folded = [], []
    for n in range(count):
        name = (f"{SURNAMES[n % len(SURNAMES)]} {NAMES[(n // 12) % len(NAMES)]} "
                f"Тестұлы{n}")
        subject = f"{SUBJECTS[n % len(SUBJECTS)]} №{n}"
        body = " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(40))
        body += f" обращение{n}"
        number = f"ЖТ-2026-{n:06d}" if n % 3 else None
        iin = f"{850000000000 + n * 7919 % 10**11:012d}"
        content = {"text": body}
        documents.append({
            "id": n + 1, "sender_id": sender.id, "sender_document_id": f"B-{n:07d}",
            "raw_sha256": "0" * 64, "raw_size": 5000,
            "received_at": start + timedelta(seconds=n * 7),
            "state": "registered" if number else "received", "family": "appeal",
            "kind": "appeal_individual", "author_iin": iin, "author_name": name,
            "author_name_folded": name.casefold(), "recipient_name": "Орган",
            "short_content": subject, "language": "ru", "content": content,
            "indication": "PASSED", "report": {}, "content_unverified": False, "version": 1,
            "registration_number": number,
            # every 50th is executed by the executor
            "executor_id": executor.id if n % 50 == 0 else None,
        })
        folded.append({"document_id": n + 1, "folded": searchable_text(
            registration_number=number, author_iin=iin, author_bin=None,
            sender_document_id=f"B-{n:07d}", author_name=name, short_content=subject,
            content=content)})
        if len(documents) == 5_000:
            db.session.execute(insert(Document), documents)
            db.session.execute(insert(DocumentSearch), folded)
            documents.clear()
            folded.clear()
    if documents:
        db.session.execute(insert(Document), documents)
        db.session.execute(insert(DocumentSearch), folded)
    db.session.commit()
    return _users()


def _users():
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    return (db.session.scalar(select(User).where(User.login == "clerk")),
            db.session.scalar(select(User).where(User.login == "ex")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--database-url")
    add_reuse_options(parser)
    args = parser.parse_args()

    from sqlalchemy import text

    from app.documents.models import Document
    from app.extensions import db
    from app.search.index import create_trigram_index
    from app.search.queries import SearchQuery, search

    with tempfile.TemporaryDirectory() as tmp:
        app = desk_app(tmp, database_url=args.database_url, name="search")
        with app.app_context():
            if args.reuse:
                print(f"schema upgraded to {upgraded_schema(stamp=args.stamp)}")
                clerk, executor = _users()
            else:
                fresh_schema()
                began = time.perf_counter()
                clerk, executor = _fill(args.documents)
                print(f"{args.documents} documents inserted in "
                      f"{time.perf_counter() - began:.1f} s")
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    indexed = create_trigram_index(connection)
                    connection.execute(text("ANALYZE"))
                print("trigram index:", "built" if indexed else "pg_trgm not available, scans")
            reference = median_time(lambda: db.session.get(Document, args.documents // 2,
                                                           populate_existing=True))
            middle = args.documents // 2

            def query(user, words):
                return lambda: search(user, SearchQuery(text=words))

            rows = [
                ("name, Russian keyboard",
                 query(clerk, f"касымов тестулы{middle - middle % 12 + 8}")),
                ("part of an IIN",
                 query(clerk, f"{850000000000 + middle * 7919 % 10**11:012d}"[3:10])),
                ("part of a number", query(clerk, f"2026-{middle + 1:06d}"[-8:])),
                ("rare word of the text", query(clerk, f"обращение{middle}")),
                ("common word (newest 100)", query(clerk, "асфальт")),
                ("two common words", query(clerk, "ремонте дороги")),
                ("executor: common word", query(executor, "асфальт")),
                ("executor: a name", query(executor, "абилкайыров")),
            ]
            for name, fn in rows:
                print(f"  {name}: {len(fn().documents)} found")
            report(rows, reference, repeat=15)
            print("target: each under 100 ms")


if __name__ == "__main__":
    main()
