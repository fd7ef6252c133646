"""Two worker processes by mistake, on the same database, the calendar pinned to one day:
every reminder and overdue notice is written once and e-mailed once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import MailState, Notification
from app.scheduling.models import JobRun
from tests.conftest import app_config
from tests.factories import make_controlled, user

MONDAY = date(2026, 11, 23)

#: a worker built on the app as ``qujat worker`` builds it (the test database is made by
#: create_all, which ``qujat worker``'s schema upgrade would take for a pre-migration one)
WORKER = ("import logging; logging.basicConfig(level=logging.INFO); "
          "from app import create_app; from app.jobs import run_blocking; "
          "run_blocking(create_app())")


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
    workers = [subprocess.Popen([sys.executable, "-c", WORKER], env=env, cwd=tmp_path,
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
            if sent == 4 and ticks >= 6:
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
    assert [w.returncode for w in workers] == [0, 0], outputs

    with committed_db.app_context():
        written = sorted((n.document.registration_number, n.user.login, n.kind.value,
                          n.days_before) for n in db.session.scalars(select(Notification)))
    assert written == [
        ("ЖТ-2026-000001", "executor", "due_soon", 3),
        ("ЖТ-2026-000002", "executor", "due_soon", 1),
        ("ЖТ-2026-000003", "executor", "overdue", 0),
        ("ЖТ-2026-000003", "head", "overdue", 0),
    ]
    # each e-mailed exactly once, though both workers ticked all along
    ids = sorted(message["Message-ID"] for message in mailbox.messages)
    assert len(ids) == 4 and len(set(ids)) == 4
    assert len(mailbox.to("executor@example.kz")) == 3
    assert len(mailbox.to("head@example.kz")) == 1
