"""The heads' and executors' desks at 100,000 documents, against a primary-key lookup.

    .venv/bin/python bench/desks.py [--documents 100000] [--database-url URL]

Fills a fresh database with documents spread over 20 departments (a management with 19
departments below it) and 200 executors, in every state of the road, then times what the
desks ask: a head's five tab counts and lists, an executor's "my documents" (own and
co-executed), a signer's queue. A desk should cost a few lookups whatever the volume.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import desk_app, median_time, report  # noqa: E402

STATES = ["registered", "on_resolution", "in_execution", "on_approval", "on_signature",
          "answered", "redirected", "rejected"]


def _fill(count: int):
    from sqlalchemy import insert, select

    from app.auth.models import Role, User, UserRole
    from app.documents.models import Document, Sender
    from app.extensions import db
    from app.org.models import Department
    from app.resolution.models import Resolution, coexecutors

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
    start = datetime(2026, 1, 1, tzinfo=UTC)
    today = date(2026, 11, 23)
    rows = []
    for n in range(count):
        state = STATES[n % len(STATES)]
        department = departments[n % 20]
        executor = executors[n % 200] if state not in ("registered", "on_resolution",
                                                        "rejected") else None
        rows.append({
            "id": n + 1, "sender_id": sender.id, "sender_document_id": f"B-{n:07d}",
            "raw_sha256": "0" * 64, "raw_size": 5000,
            "received_at": start + timedelta(seconds=n * 7), "state": state, "family": "appeal",
            "kind": "appeal_individual", "author_name": f"Автор {n}",
            "author_name_folded": f"автор {n}", "recipient_name": "Орган",
            "short_content": f"Обращение {n}", "language": "ru", "indication": "PASSED",
            "report": {}, "content_unverified": False, "version": 1,
            "department_id": department.id if state != "registered" else None,
            "resolver_id": department.head_id if state == "on_resolution" else None,
            "executor_id": executor.id if executor else None,
            "approver_id": department.head_id if executor else None,
            "signer_id": signer.id if state == "on_signature" else None,
            "due_date": today + timedelta(days=(n % 40) - 10) if executor else None,
        })
        if len(rows) == 10_000:
            db.session.execute(insert(Document), rows)
            rows.clear()
    if rows:
        db.session.execute(insert(Document), rows)
    # every tenth executed document has a co-executor, through its resolution
    resolutions, links = [], []
    for n in range(0, count, 10):
        if STATES[n % len(STATES)] in ("in_execution", "on_approval", "on_signature"):
            rid = len(resolutions) + 1
            resolutions.append({"id": rid, "document_id": n + 1, "level": 1, "kind": "assign",
                                "author_id": heads[0].id, "created_at": start,
                                "instruction": ""})
            links.append({"resolution_id": rid, "user_id": executors[(n + 1) % 200].id})
    db.session.execute(insert(Resolution), resolutions)
    db.session.execute(insert(coexecutors), links)
    db.session.commit()
    return (db.session.scalar(select(User).where(User.login == "head0")),
            db.session.scalar(select(User).where(User.login == "head7")),
            db.session.scalar(select(User).where(User.login == "ex7")),
            db.session.scalar(select(User).where(User.login == "signer")), today)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from app.documents.models import Document
    from app.execution.queries import awaiting_signature, my_documents
    from app.extensions import db
    from app.resolution.queries import HeadDesk, Tab

    with tempfile.TemporaryDirectory() as tmp:
        app = desk_app(tmp, database_url=args.database_url, name="desks")
        with app.app_context():
            db.drop_all()
            db.create_all()
            began = time.perf_counter()
            top_head, department_head, executor, signer, today = _fill(args.documents)
            print(f"{args.documents} documents inserted in {time.perf_counter() - began:.1f} s")
            reference = median_time(lambda: db.session.get(Document, args.documents // 2,
                                                     populate_existing=True))
            soon = today + timedelta(days=3)
            top = HeadDesk(head=top_head, today=today, soon=soon)
            one = HeadDesk(head=department_head, today=today, soon=soon)
            rows = [
                ("top head: five tab counts", top.counts),
                ("top head: waiting for resolution", lambda: top.documents(Tab.RESOLUTION)),
                ("top head: overdue (200 rows)", lambda: top.documents(Tab.OVERDUE)),
                ("department head: five counts", one.counts),
                ("department head: on control", lambda: one.documents(Tab.CONTROL)),
                ("executor: my documents", lambda: my_documents(executor)),
                ("signer: waiting for signature", lambda: awaiting_signature(signer, limit=50)),
            ]
            report(rows, reference)


if __name__ == "__main__":
    main()
