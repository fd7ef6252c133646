"""Two ``qujat worker`` processes by mistake, on the same database, the calendar pinned to
one day: every reminder and overdue notice is written once and e-mailed once, the lead days
counted on the deadlines' calendar (the administrator's day off among them)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from flask_migrate import stamp
from sqlalchemy import func, select, text

from app.deadlines.models import CalendarDay
from app.extensions import MIGRATIONS_DIR, db
from app.notifications.models import MailState, Notification
from app.scheduling.models import JobRun
from tests.conftest import app_config
from tests.factories import make_controlled, user

MONDAY = date(2026, 11, 23)
#: the console script the package installs
QUJAT = Path(sys.executable).parent / "qujat"


def _toml(values: dict) -> str:
    lines = []
    for key, value in values.items():
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, int):
            shown = str(value)
        else:  # strings and lists of strings: JSON's quoting is TOML's basic string
            shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key.lower()} = {shown}")
    return "\n".join(lines) + "\n"


def _at_head(app) -> None:
    """The tests' schema comes from create_all and equals the migrations' head
    (tests/test_migrations.py): say so, or ``qujat worker``'s schema upgrade would take it
    for a database older than the migrations and run them all over it."""
    with app.app_context():
        stamp(directory=MIGRATIONS_DIR, revision="head")


def _forget_revision(app) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_two_workers_send_each_reminder_once(committed_db, pki, database_url, tmp_path,
                                             smtp_server):
    host, port, mailbox = smtp_server
    with committed_db.app_context():
        executor, head = user("executor"), user("head")
        executor.email, head.email = "executor@example.kz", "head@example.kz"
        make_controlled(n=1, due=date(2026, 11, 26), executor=executor, approver=head)
        make_controlled(n=2, due=date(2026, 11, 24), executor=executor, approver=head)
        make_controlled(n=3, due=date(2026, 11, 20), executor=executor, approver=head)
        make_controlled(n=4, due=date(2026, 12, 30), executor=executor, approver=head)
        # Friday the 27th is 3 working days ahead only with Wednesday made a day off
        make_controlled(n=5, due=date(2026, 11, 27), executor=executor, approver=head)
        db.session.add(CalendarDay(day=date(2026, 11, 25), working=False, note="Постановление",
                                   created_at=datetime(2026, 11, 1, tzinfo=UTC)))
        db.session.commit()

    config = tmp_path / "worker.toml"
    config.write_text(_toml({
        **app_config(pki, database_url, tmp_path / "blobs"),
        "QUJAT_TEST_TODAY": MONDAY.isoformat(),
        "QUJAT_REMINDER_SECONDS": 1, "QUJAT_MAIL_SECONDS": 1,
        "QUJAT_SMTP_HOST": host, "QUJAT_SMTP_PORT": port,
        "QUJAT_SMTP_FROM": "qujat@example.kz",
    }), encoding="utf-8")
    env = {**os.environ, "QUJAT_CONFIG": str(config)}
    env.pop("QUJAT_DATABASE_URL", None)
    _at_head(committed_db)
    workers = [subprocess.Popen([str(QUJAT), "worker"], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while True:
            with committed_db.app_context():
                sent = db.session.scalar(select(func.count()).select_from(Notification)
                                         .where(Notification.mail_state == MailState.SENT))
                ticks = db.session.scalar(select(JobRun.runs).where(
                    JobRun.job_id == "notifications.remind")) or 0
            # everything sent, and the job has run several more times since
            if sent == 5 and ticks >= 6:
                break
            for worker in workers:
                assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"{sent} sent after {ticks} ticks"
            time.sleep(0.5)
    finally:
        outputs = []
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            outputs.append(worker.communicate(timeout=60)[0].decode())
        _forget_revision(committed_db)
    assert [w.returncode for w in workers] == [0, 0], outputs

    with committed_db.app_context():
        written = sorted((n.document.registration_number, n.user.login, n.kind.value,
                          n.days_before) for n in db.session.scalars(select(Notification)))
    assert written == [
        ("ЖТ-2026-000001", "executor", "due_soon", 3),
        ("ЖТ-2026-000002", "executor", "due_soon", 1),
        ("ЖТ-2026-000003", "executor", "overdue", 0),
        ("ЖТ-2026-000003", "head", "overdue", 0),
        ("ЖТ-2026-000005", "executor", "due_soon", 3),
    ]
    # each e-mailed exactly once, though both workers ticked all along
    ids = sorted(message["Message-ID"] for message in mailbox.messages)
    assert len(ids) == 5 and len(set(ids)) == 5
    assert len(mailbox.to("executor@example.kz")) == 4
    assert len(mailbox.to("head@example.kz")) == 1
