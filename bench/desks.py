"""Every desk page at 1,000,000 documents, against a primary-key lookup in the same run.

    .venv/bin/python bench/desks.py --database-url postgresql://.../scratch [--documents N]
        [--reuse [--stamp REVISION]] [--repeat 15] [--statements]

Fills a fresh database (PostgreSQL: one INSERT ... SELECT over generate_series, a minute
for a million; SQLite: rows from Python, for small runs) with documents spread as an
office's years leave them: most answered and closed, some refused, redirected or left
without consideration, a few forgotten in execution long overdue, and the recent weeks
open in every state (arrived, registered, on resolution, in execution, on approval, on
signature), over 20 departments (a management with 19 below it), 10 executors each,
co-executors and notifications. Then renders every desk page through the application, as
its user, and sums the time of EVERY SQL statement the page issues (login session, the
bell, counts, lists, the calendar...): the clerk's inbox and its poll, the top head's five
tabs, a department head's, an executor's "my documents", a signer's "to sign", and pages
deep in the longest lists; and the time its templates take. Target: each page's
statements together under 100 ms.

The schema is the migrations' (app/migrations), built as ``qujat db upgrade`` builds it.
--reuse times what a previous run filled, after upgrading its schema to the newest
migration by the same path (app.setup.upgrade_schema), so a database filled at an older
revision gets the columns and indexes added since, as production does. A database filled
before the benches versioned their schema (create_all, no alembic_version) needs
--stamp REVISION, the migration it was made at; without it the bench says so and stops.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    Statements,
    add_reuse_options,
    desk_app,
    fresh_schema,
    median_time,
    time_page,
    upgraded_schema,
)

PASSWORD = "bench-desks-2026"
DEPARTMENTS = 20
EXECUTORS_PER_DEPARTMENT = 10
KINDS = ["appeal_individual", "appeal_individual", "appeal_individual", "appeal_legal",
         "licence_new", "licence_appendix", "licence_reissue", "sanitary_notification",
         "inspection_request", "numbering_permit"]
#: documents from the newest: arrived, registered, on resolution, on control (the rest
#: is closed, but for every 500th: forgotten in execution, long overdue)
RECEIVED, REGISTERED, ON_RESOLUTION, OPEN = 300, 700, 3_000, 33_000


def _people():
    """The users, departments and sender, made through the ORM; returns their ids."""
    from werkzeug.security import generate_password_hash

    from app.auth.models import Role, User, UserRole
    from app.documents.models import Sender
    from app.extensions import db
    from app.org.models import Department

    digest = generate_password_hash(PASSWORD)
    sender = Sender(code="EGOV", name="egov", token_sha256="0" * 64)
    clerk = User(login="clerk", full_name="Clerk", password_hash=digest,
                 roles=[UserRole(role=Role.CLERK)])
    heads = [User(login=f"head{n}", full_name=f"Head {n}", password_hash=digest,
                  roles=[UserRole(role=Role.HEAD)]) for n in range(DEPARTMENTS)]
    executors = [User(login=f"ex{n}", full_name=f"Executor {n}", password_hash=digest,
                      roles=[UserRole(role=Role.EXECUTOR)])
                 for n in range(DEPARTMENTS * EXECUTORS_PER_DEPARTMENT)]
    signers = [User(login=f"signer{n}", full_name=f"Signer {n}", password_hash=digest,
                    roles=[UserRole(role=Role.SIGNER)]) for n in range(2)]
    db.session.add_all([sender, clerk, *heads, *executors, *signers])
    db.session.flush()
    top = Department(code="D0", name="Management", head=heads[0])
    departments = [top] + [Department(code=f"D{n}", name=f"Department {n}", parent=top,
                                      head=heads[n]) for n in range(1, DEPARTMENTS)]
    db.session.add_all(departments)
    db.session.flush()
    for n, head in enumerate(heads):
        head.department_id = departments[n].id
    for n, executor in enumerate(executors):
        executor.department_id = departments[n // EXECUTORS_PER_DEPARTMENT].id
    db.session.commit()
    return {"sender": sender.id, "departments": [d.id for d in departments],
            "heads": [h.id for h in heads], "executors": [e.id for e in executors],
            "signers": [s.id for s in signers]}


def _array(ids: list[int]) -> str:
    return "ARRAY[" + ",".join(str(i) for i in ids) + "]"


def _fill_postgresql(count: int, ids: dict, today: date) -> None:
    from sqlalchemy import text

    from app.extensions import db

    start = datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=4 * 365)
    step = (4 * 365 * 86400) / count
    kinds = "ARRAY[" + ",".join(f"'{k}'" for k in KINDS) + "]"
    db.session.execute(text(f"""
        INSERT INTO documents (id, version, sender_id, sender_document_id, raw_sha256, raw_size,
            received_at, state, family, kind, author_iin, author_name, author_name_folded,
            recipient_name, short_content, language, content_unverified, indication, report,
            registration_number, registered_at, department_id, resolver_id, executor_id,
            approver_id, signer_id, due_date, suspended_since, due_date_by_hand, closed_at)
        SELECT n, 1, :sender, 'B-' || n, repeat('0', 64), 5000, received, st,
            CASE WHEN kind LIKE 'appeal%' THEN 'appeal' ELSE 'application' END, kind,
            lpad((850000000000 + n)::text, 12, '0'), 'Автор ' || n, 'автор ' || n, 'Орган',
            'Обращение ' || n, 'ru', false,
            CASE WHEN st = 'received' AND n % 10 = 0 THEN 'FAILED' ELSE 'PASSED' END, '{{}}',
            CASE WHEN st NOT IN ('received', 'rejected') THEN 'ЖТ-' || n END,
            CASE WHEN st NOT IN ('received', 'rejected')
                 THEN received + interval '1 hour' END,
            CASE WHEN st NOT IN ('received', 'registered', 'rejected') THEN dept END,
            CASE WHEN st = 'on_resolution' THEN head END,
            CASE WHEN executed THEN executor END,
            CASE WHEN executed THEN head END,
            CASE WHEN st IN ('on_signature', 'answered') THEN (:signers)[n % 2 + 1] END,
            CASE WHEN st IN ('in_execution', 'on_approval', 'on_signature') AND k < {OPEN}
                 THEN :today + (n % 40 - 10)
                 WHEN st IN ('registered', 'on_resolution') THEN :today + (n % 20)
                 WHEN st <> 'received' THEN (received + interval '20 days')::date END,
            CASE WHEN st = 'in_execution' AND n % 97 = 0 THEN now() END,
            false,
            CASE WHEN st IN ('rejected', 'answered', 'redirected',
                             'left_without_consideration')
                 THEN received + interval '10 days' END
        FROM (
            SELECT n, k, received, kind, st, dept, head, executor,
                   st IN ('in_execution', 'on_approval', 'on_signature', 'answered') AS executed
            FROM (
                SELECT n, :count - n AS k,
                       timestamptz '{start.isoformat()}' + (n * {step}) * interval '1 second'
                           AS received,
                       ({kinds})[n % {len(KINDS)} + 1] AS kind,
                       (:departments)[n % {DEPARTMENTS} + 1] AS dept,
                       (:heads)[n % {DEPARTMENTS} + 1] AS head,
                       (:executors)[(n % {DEPARTMENTS}) * {EXECUTORS_PER_DEPARTMENT}
                                    + (n / {DEPARTMENTS}) % {EXECUTORS_PER_DEPARTMENT} + 1]
                           AS executor
                FROM generate_series(1, :count) AS n
            ) AS g
            CROSS JOIN LATERAL (SELECT CASE
                WHEN k < {RECEIVED} THEN 'received'
                WHEN k < {REGISTERED} THEN 'registered'
                WHEN k < {ON_RESOLUTION} THEN 'on_resolution'
                WHEN k < {OPEN} THEN (CASE n % 10 WHEN 7 THEN 'on_approval'
                    WHEN 8 THEN 'on_approval' WHEN 9 THEN 'on_signature' ELSE 'in_execution' END)
                WHEN n % 500 = 1 THEN 'in_execution'
                WHEN n % 100 < 3 THEN 'rejected'
                WHEN n % 100 < 5 THEN 'redirected'
                WHEN n % 100 < 6 THEN 'left_without_consideration'
                ELSE 'answered' END AS st) AS s
        ) AS d
    """.replace(":signers", _array(ids["signers"]))
        .replace(":departments", _array(ids["departments"]))
        .replace(":heads", _array(ids["heads"]))
        .replace(":executors", _array(ids["executors"]))),
        {"sender": ids["sender"], "count": count, "today": today})
    # every tenth executed document has a co-executor: the next executor of its department
    executors = _array(ids["executors"])
    db.session.execute(text(f"""
        INSERT INTO document_parties (document_id, user_id, part)
        SELECT id, ({executors})[(id % {DEPARTMENTS}) * {EXECUTORS_PER_DEPARTMENT}
                               + (id / {DEPARTMENTS} + 1) % {EXECUTORS_PER_DEPARTMENT} + 1],
               'coexecutor'
        FROM documents WHERE executor_id IS NOT NULL AND id % 10 = 3
    """))
    # the reminders' notices: every open document's executor was told, most have read it
    db.session.execute(text("""
        INSERT INTO notifications (user_id, document_id, kind, due_date, days_before, params,
                                   created_at, read_at, mail_attempts)
        SELECT executor_id, id, 'overdue', due_date, 0, '{}', now(),
               CASE WHEN id % 3 = 0 THEN NULL ELSE now() END, 0
        FROM documents WHERE executor_id IS NOT NULL AND due_date < :today
    """), {"today": today})
    db.session.execute(text("SELECT setval(pg_get_serial_sequence('documents', 'id'), "
                            ":count)"), {"count": count})
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE")


def _fill_python(count: int, ids: dict, today: date) -> None:
    """The same spread from Python, for SQLite (slow past 100,000)."""
    from sqlalchemy import insert

    from app.documents.models import Document
    from app.extensions import db
    from app.workflow.parties import DocumentParty, Part

    start = datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=4 * 365)
    step = timedelta(seconds=(4 * 365 * 86400) / count)
    rows, parties = [], []
    for n in range(1, count + 1):
        k = count - n
        if k < RECEIVED:
            state = "received"
        elif k < REGISTERED:
            state = "registered"
        elif k < ON_RESOLUTION:
            state = "on_resolution"
        elif k < OPEN:
            state = {7: "on_approval", 8: "on_approval", 9: "on_signature"}.get(
                n % 10, "in_execution")
        elif n % 500 == 1:
            state = "in_execution"
        else:
            state = ("rejected" if n % 100 < 3 else "redirected" if n % 100 < 5 else
                     "left_without_consideration" if n % 100 < 6 else "answered")
        d = n % DEPARTMENTS
        executor = ids["executors"][d * EXECUTORS_PER_DEPARTMENT
                                    + (n // DEPARTMENTS) % EXECUTORS_PER_DEPARTMENT]
        executed = state in ("in_execution", "on_approval", "on_signature", "answered")
        received = start + step * n
        if state in ("in_execution", "on_approval", "on_signature") and k < OPEN:
            due = today + timedelta(days=n % 40 - 10)
        elif state in ("registered", "on_resolution"):
            due = today + timedelta(days=n % 20)
        elif state != "received":
            due = (received + timedelta(days=20)).date()
        else:
            due = None
        kind = KINDS[n % len(KINDS)]
        rows.append({
            "id": n, "sender_id": ids["sender"], "sender_document_id": f"B-{n}",
            "raw_sha256": "0" * 64, "raw_size": 5000, "received_at": received,
            "state": state, "family": "appeal" if kind.startswith("appeal") else "application",
            "kind": kind, "author_iin": f"{850000000000 + n:012d}",
            "author_name": f"Автор {n}", "author_name_folded": f"автор {n}",
            "recipient_name": "Орган", "short_content": f"Обращение {n}", "language": "ru",
            "indication": "FAILED" if state == "received" and n % 10 == 0 else "PASSED",
            "report": {}, "content_unverified": False, "version": 1,
            "registration_number": (f"ЖТ-{n}" if state not in ("received", "rejected")
                                    else None),
            "department_id": (ids["departments"][d] if state not in (
                "received", "registered", "rejected") else None),
            "resolver_id": ids["heads"][d] if state == "on_resolution" else None,
            "executor_id": executor if executed else None,
            "approver_id": ids["heads"][d] if executed else None,
            "signer_id": (ids["signers"][n % 2] if state in ("on_signature", "answered")
                          else None),
            "due_date": due,
            "suspended_since": (datetime.now(UTC) if state == "in_execution" and n % 97 == 0
                                else None),
        })
        if executed and n % 10 == 3:
            parties.append({"document_id": n, "part": Part.COEXECUTOR, "user_id": ids[
                "executors"][d * EXECUTORS_PER_DEPARTMENT
                             + (n // DEPARTMENTS + 1) % EXECUTORS_PER_DEPARTMENT]})
        if len(rows) == 10_000:
            db.session.execute(insert(Document), rows)
            rows.clear()
    if rows:
        db.session.execute(insert(Document), rows)
    if parties:
        db.session.execute(insert(DocumentParty), parties)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    add_reuse_options(parser)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--statements", action="store_true",
                        help="print each page's statements and their median time")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from app.documents.models import Document
    from app.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = desk_app(tmp, database_url=args.database_url, name="desks")
        today = datetime.now(UTC).date()
        with app.app_context():
            postgresql = db.engine.dialect.name == "postgresql"
            if args.reuse:
                print(f"schema upgraded to {upgraded_schema(stamp=args.stamp)}")
                count = db.session.scalar(select(func.max(Document.id))) or 0
                if postgresql:
                    with db.engine.connect() as connection:
                        connection.execution_options(
                            isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            else:
                fresh_schema()
                began = time.perf_counter()
                ids = _people()
                (_fill_postgresql if postgresql else _fill_python)(
                    args.documents, ids, today)
                count = args.documents
                print(f"{count} documents inserted in {time.perf_counter() - began:.1f} s")
            states = dict(db.session.execute(
                select(Document.state, func.count()).group_by(Document.state)).all())
            print("  " + ", ".join(f"{s.value} {n}" for s, n in sorted(states.items())))
            reference = median_time(lambda: db.session.get(Document, count // 2,
                                                           populate_existing=True))
            newest = count - 5
            db.session.remove()

        with app.app_context():
            statements = Statements(db.engine, app)
        pages = [
            ("clerk: inbox (to do)", "clerk", "/"),
            ("clerk: inbox, all", "clerk", "/?show=all"),
            ("clerk: inbox poll", "clerk", f"/inbox/poll?since={newest}"),
            ("top head: waiting for resolution", "head0", "/resolution/"),
            ("top head: replies to approve", "head0", "/resolution/?tab=approval"),
            ("top head: on control", "head0", "/resolution/?tab=control"),
            ("top head: due soon", "head0", "/resolution/?tab=due_soon"),
            ("top head: overdue", "head0", "/resolution/?tab=overdue"),
            ("top head: control, kind, by number", "head0",
             "/resolution/?tab=control&kind=licence_new&sort=number"),
            ("department head: resolution", "head7", "/resolution/"),
            ("department head: on control", "head7", "/resolution/?tab=control"),
            ("executor: my documents", "ex75", "/execution/"),
            ("executor: overdue, newest", "ex75", "/execution/?due=overdue&sort=newest"),
            ("signer: to sign", "signer1", "/signing/"),
            ("clerk: inspection queue", "clerk", "/inspections"),
            ("top head: inspection queue", "head0", "/inspections"),
            # deep in the longest lists, by their "next page" links (keyset: as page 1)
            ("top head: on control, page 21", "head0", "/resolution/?tab=control", 20),
            ("top head: control, by number, page 21", "head0",
             "/resolution/?tab=control&sort=number", 20),
            ("top head: control, kind, page 11", "head0",
             "/resolution/?tab=control&kind=appeal_individual&sort=newest", 10),
            ("signer: to sign, page 21", "signer1", "/signing/", 20),
        ]
        print(f"{'primary-key lookup (reference)':<40} {reference * 1000:8.3f} ms")
        print(f"{'page':<40} {'SQL':>8}    {'x ref':>7} {'stmts':>5} {'render':>9}    "
              f"{'x ref':>7} {'request':>9}    {'database':>8}")
        print("  (SQL: every statement of the page as the client waits for it; x ref: that "
              "against a primary-key lookup timed right after the page; render: the "
              "templates, less SQL they ran; request: the whole request in the test client; "
              "database: PostgreSQL's planning and execution of the same statements)")
        for name, login, url, *hops in pages:
            sql, wall, n, per, render = time_page(app, statements, login, PASSWORD, url,
                                                  args.repeat, *hops)
            # the reference again beside each page: the machine's load moves both alike
            with app.app_context():
                reference = median_time(lambda: db.session.get(
                    Document, count // 2, populate_existing=True), args.repeat)
                db.session.remove()
            server = statements.database_time(app) if postgresql else float("nan")
            print(f"{name:<40} {sql * 1000:8.2f} ms {sql / reference:7.1f}x {n:5d} "
                  f"{render * 1000:6.1f} ms {render / reference:7.1f}x "
                  f"{wall * 1000:6.1f} ms {server * 1000:8.2f} ms")
            if args.statements:
                for key, t in sorted(per.items()):
                    print(f"      {t * 1000:7.2f} ms  {key}")
        print("target: every page's statements together under 100 ms (and its templates "
              "well under that)")


if __name__ == "__main__":
    main()
