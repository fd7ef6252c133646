"""Pushing marks to a portal: no transaction waits on the network, a document's marks arrive
in the order they were made, and an acknowledged mark is never pushed again after a crash."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.config import _LIST_KEYS, DEFAULTS
from app.documents.models import Document, Sender
from app.extensions import db
from app.formats.choices import MarkKind
from app.marks.delivery import LEASE, MAX_ATTEMPTS, backoff, deliver_due_marks
from app.marks.models import Mark
from app.registration import service
from app.timeutil import utcnow
from tests.factories import user

ZONE = "Asia/Almaty"
_MARK_ID = re.compile(rb"MarkId>M(\d+)<")


def _with_callback(app, url: str = "http://portal.invalid/marks") -> None:
    with app.app_context():
        db.session.scalar(select(Sender).where(Sender.code == "EGOV")).callback_url = url
        db.session.commit()


def mark_id(body: bytes) -> int:
    """The id of the mark in a pushed body, read from the signed XML's MarkId."""
    found = _MARK_ID.search(body)
    assert found, body[:200]
    return int(found.group(1))


def _register(app, *document_ids: int) -> None:
    with app.app_context():
        for document_id in document_ids:
            service.register(db.session.get(Document, document_id), clerk=user("clerk"),
                             now=utcnow(), zone=ZONE)
        db.session.commit()


def _marks(app) -> dict[int, tuple[int, MarkKind]]:
    """Every mark: id → (its document, its kind)."""
    with app.app_context():
        return {m.id: (m.document_id, m.kind)
                for m in db.session.scalars(select(Mark).order_by(Mark.id))}


# -- 1. no transaction is open while a push waits on the portal -----------------------------

def _writers_blocked_or_open_transactions(app) -> list[str]:
    """What stops another writer right now: on SQLite, whether a second connection can take
    the write lock at once; on PostgreSQL, the connections idle inside a transaction."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                return []
            except sqlite3.OperationalError as exc:
                return [f"a second connection cannot write: {exc}"]
            finally:
                other.close()
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT pid, state, query FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state LIKE 'idle in transaction%'")).all()
            return [f"{row.pid} {row.state}: {row.query}" for row in rows]


@pytest.mark.usefixtures("committed_db")  # intake runs in other threads, on their own connections
def test_no_transaction_is_open_while_a_push_waits_on_the_portal(app, portal):
    _with_callback(app)
    for _ in range(3):
        assert portal.send("appeal").status_code == 202
    waiting, release = threading.Event(), threading.Event()
    in_transaction: list[bool] = []
    delivered: list[int] = []

    def slow_portal(url, body, headers=None):
        # the worker's own session, as the push sees it
        in_transaction.append(db.session().in_transaction())
        if len(in_transaction) == 2:  # the first mark's outcome is recorded by now
            waiting.set()
            release.wait(30)
        return 200

    def worker():
        with app.app_context():
            delivered.append(deliver_due_marks(post=slow_portal))

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert waiting.wait(30), "the second push never started"
        blockers = _writers_blocked_or_open_transactions(app)
        # intake goes on while the push waits
        statuses = [portal.send("appeal").status_code for _ in range(3)]
    finally:
        release.set()
        thread.join(60)
    assert blockers == []
    assert statuses == [202, 202, 202]
    assert in_transaction == [False, False, False]
    assert delivered == [3]


@pytest.mark.usefixtures("committed_db")  # the app's own engine, not the test's connection
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        connection = db.session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        # acknowledged intake survives a power cut: FULL, not NORMAL
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_a_mark_claimed_by_a_live_worker_is_left_alone_until_its_lease_runs_out(app, portal):
    _with_callback(app)
    portal.send("appeal")
    with app.app_context():
        now = utcnow()
        mark = db.session.scalar(select(Mark))
        mark.claimed_by, mark.claimed_until = "another-worker", now + LEASE
        db.session.commit()
        portal_up = Recorder()
        assert deliver_due_marks(now=now, post=portal_up) == 0 and portal_up.received == []
        # that worker died: after its lease the mark is pushed, and the claim let go
        assert deliver_due_marks(now=now + LEASE, post=portal_up) == 1
        mark = db.session.scalar(select(Mark))
        assert (mark.claimed_by, mark.claimed_until, mark.attempts) == (None, None, 1)


# -- 2. per document, marks arrive in the order they were made ------------------------------

class Recorder:
    """A portal's callback that answers ``status`` and writes down what it got."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[int] = []
        self.headers: list[dict] = []

    def __call__(self, url, body, headers=None):
        self.received.append(mark_id(body))
        self.headers.append(dict(headers or {}))
        return self.status


def _in_order_per_document(received: list[int], marks) -> None:
    by_document: dict[int, list[int]] = {}
    for mid in received:
        by_document.setdefault(marks[mid][0], []).append(mid)
    for document_id, ids in by_document.items():
        assert ids == sorted(ids), f"document {document_id} got its marks as {ids}"


def test_a_documents_later_marks_wait_until_its_earlier_one_is_delivered(app, portal):
    _with_callback(app)
    first = portal.send("appeal").json["id"]
    second = portal.send("appeal").json["id"]
    with app.app_context():
        t0 = utcnow()
        # the portal is down: both "delivered" marks fail and wait their back-off
        assert deliver_due_marks(now=t0, post=Recorder(503)) == 0
    # meanwhile both documents are registered, and a third arrives
    _register(app, first, second)
    third = portal.send("appeal").json["id"]
    marks = _marks(app)
    portal_up = Recorder()
    with app.app_context():
        soon = utcnow() + timedelta(seconds=1)
        assert soon < t0 + backoff(1)
        # the portal is back before the back-off ends: the third document goes on, the
        # registered marks of the first two wait for their own "delivered" marks
        deliver_due_marks(now=soon, post=portal_up)
        assert [marks[m] for m in portal_up.received] == [(third, MarkKind.DELIVERED)]
        later = t0 + backoff(1)
        while deliver_due_marks(now=later, post=portal_up):
            later += timedelta(seconds=1)
    _in_order_per_document(portal_up.received, marks)
    assert sorted(portal_up.received) == sorted(marks)


def test_a_given_up_mark_still_holds_back_its_documents_later_marks(app, portal):
    _with_callback(app)
    first = portal.send("appeal").json["id"]
    with app.app_context():
        moment = utcnow()
        for _ in range(MAX_ATTEMPTS):
            deliver_due_marks(now=moment, post=Recorder(503))
            moment += timedelta(hours=2)
        given_up = db.session.scalar(select(Mark))
        assert given_up.given_up_at is not None and given_up.next_attempt_at is None
    _register(app, first)
    other = portal.send("appeal").json["id"]
    portal_up = Recorder()
    with app.app_context():
        deliver_due_marks(now=utcnow() + timedelta(hours=1), post=portal_up)
    marks = _marks(app)
    # the other document goes on; the first one's "registered" is never pushed...
    assert [marks[m] for m in portal_up.received] == [(other, MarkKind.DELIVERED)]
    # ...and the portal pulls everything
    pulled = portal.client.get("/api/v1/marks", headers={
        "Authorization": "Bearer egov-test-token"}).json
    assert [m["id"] for m in pulled["marks"]] == sorted(marks)


def test_every_push_names_its_mark_so_a_portal_can_drop_a_repeat(app, portal):
    _with_callback(app)
    portal.send("appeal")
    portal_up = Recorder()
    with app.app_context():
        deliver_due_marks(post=portal_up)
    [mid] = portal_up.received
    assert portal_up.headers[0]["X-Qujat-Mark-Id"] == f"M{mid}"


# -- 3. a killed worker re-pushes at most the mark in flight --------------------------------

class _PortalServer(ThreadingHTTPServer):
    """A portal's callback over real HTTP that acknowledges every mark and writes down the
    id of each, and SIGKILLs ``child`` when mark number ``kill_at`` arrives, before it
    answers: that mark is in flight when the worker dies."""

    daemon_threads = True

    def __init__(self, kill_at: int):
        super().__init__(("127.0.0.1", 0), _PortalHandler)
        self.received: list[int] = []
        self.kill_at = kill_at
        self.child: subprocess.Popen | None = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/marks"


class _PortalHandler(BaseHTTPRequestHandler):
    server: _PortalServer

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.received.append(mark_id(body))
            child = self.server.child
            doomed = child is not None and len(self.server.received) == self.server.kill_at
        if doomed:
            child.send_signal(signal.SIGKILL)
            child.wait()
        try:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass

    def log_message(self, *args):
        pass


def _child_environment(app) -> dict[str, str]:
    """The test app's settings as QUJAT_* variables, for a `qujat` run in a child process."""
    env = dict(os.environ)
    env.pop("QUJAT_CONFIG", None)
    for key in DEFAULTS:
        if key == "QUJAT_PASSWORD_HASH_METHOD":
            continue  # the tests' cheap hash is refused outside TESTING; the child hashes none
        value = app.config[key]
        name = key if key.startswith("QUJAT_") else f"QUJAT_{key}"
        if key in _LIST_KEYS:
            env[name] = os.pathsep.join(value)
        elif isinstance(value, str):
            env[name] = value
    return env


@pytest.mark.usefixtures("committed_db")  # a child process delivers from the same database
def test_a_killed_worker_pushes_again_at_most_the_mark_in_flight(app, portal, tmp_path):
    server = _PortalServer(kill_at=5)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    try:
        _with_callback(app, server.url)
        for _ in range(10):
            assert portal.send("appeal").status_code == 202
        qujat = Path(sys.executable).with_name("qujat")
        log = (tmp_path / "child.log").open("w+")
        with server.lock:
            server.child = subprocess.Popen([str(qujat), "deliver-marks"],
                                            env=_child_environment(app), stdout=log,
                                            stderr=subprocess.STDOUT)
        child = server.child
        child.wait(120)
        log.seek(0)
        assert child.returncode == -signal.SIGKILL, log.read()
        log.close()
        with server.lock:
            server.child = None
            assert len(server.received) == 5  # four acknowledged, the fifth in flight
        with app.app_context():
            # a later run, once any claim the dead worker held has expired
            deliver_due_marks(now=utcnow() + timedelta(hours=1))
    finally:
        server.shutdown()
        serving.join()
        server.server_close()
    received = server.received
    marks = _marks(app)
    assert sorted(set(received)) == sorted(marks)
    repeated = len(received) - len(set(received))
    assert repeated <= 1, f"{repeated} marks were pushed twice: {received}"
    with app.app_context():
        assert all(m.delivered_at for m in db.session.scalars(select(Mark)))
