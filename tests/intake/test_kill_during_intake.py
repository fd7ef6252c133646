"""Portals keep posting while every process of ``qujat serve`` is killed with SIGKILL: each
document the server acknowledged with 202 is in the database with its bytes, nothing ever
answered 5xx, and the portals' retries of what got no answer are taken once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from flask_migrate import stamp
from sqlalchemy import func, select, text

from app.documents.models import Document
from app.documents.states import DocumentState
from app.documents.storage import blob_store
from app.extensions import MIGRATIONS_DIR, db
from qujat_demo.demo import write_config
from tests.conftest import SENDER_TOKENS, Portal

DOCUMENTS = 40
PORTALS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``qujat serve`` (gunicorn: a master and its workers, one process group) on the
    tests' database and blob directory."""

    def __init__(self, workdir: Path, pki, database_url: str, blob_dir: str,
                 mode: str = "synchronous"):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "QUJAT_CONFIG": str(write_config(workdir, pki)),
                    "QUJAT_DATABASE_URL": database_url, "QUJAT_BLOB_DIR": blob_dir,
                    "QUJAT_SECRET_KEY": "kill-9", "QUJAT_INTAKE_MODE": mode,
                    # small batches, so that a kill finds the worker between two of them
                    "QUJAT_INTAKE_BATCH": "4"}
        self.workdir = workdir
        self.child: subprocess.Popen | None = None

    def start(self) -> None:
        qujat = Path(sys.executable).parent / "qujat"
        log = (self.workdir / "serve.log").open("ab")
        self.child = subprocess.Popen(
            [str(qujat), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
             "--threads", "2"],
            env=self.env, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{self.url}/healthz", timeout=5)
                return
            except requests.ConnectionError:
                assert self.child.poll() is None, (self.workdir / "serve.log").read_text()
                assert time.monotonic() < deadline, "qujat serve did not come up"
                time.sleep(0.2)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        assert self.child is not None
        os.killpg(self.child.pid, sig)  # the master and every worker, mid-request
        self.child.wait(timeout=30)


class Worker:
    """``qujat worker`` beside the server: it verifies what the queued intake stored."""

    def __init__(self, server: Server):
        self.server = server
        self.child: subprocess.Popen | None = None

    def start(self) -> None:
        qujat = Path(sys.executable).parent / "qujat"
        log = (self.server.workdir / "worker.log").open("ab")
        self.child = subprocess.Popen([str(qujat), "worker"], env=self.server.env,
                                      cwd=self.server.workdir, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        assert self.child is not None
        os.killpg(self.child.pid, sig)
        self.child.wait(timeout=60)


def _states(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(Document.state, func.count())
                                  .where(Document.sender_document_id.like("KILL-%"))
                                  .group_by(Document.state)).all()
        db.session.rollback()
        return {state.value: n for state, n in rows}


def at_head(app) -> None:
    """The tests' schema comes from create_all and equals the migrations' head
    (tests/test_migrations.py): say so, or `qujat serve` would take it for a database
    older than the migrations and run them all over it."""
    with app.app_context():
        stamp(directory=MIGRATIONS_DIR, revision="head")


def forget_revision(app) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))


@pytest.mark.parametrize("mode", ["synchronous", "queued"])
def test_nothing_acknowledged_is_lost_when_the_server_is_killed(
        committed_db, pki, database_url, app, client, tmp_path, mode):
    """Queued: then the worker is killed mid-way through the batches too, and started
    again; every document is verified once (one history entry, one delivered mark)."""
    portal = Portal(pki, client)
    documents = [portal.signed("appeal", sender_document_id=f"KILL-{n:03d}")
                 for n in range(DOCUMENTS)]
    server = Server(tmp_path, pki, database_url, app.config["QUJAT_BLOB_DIR"], mode)
    worker = Worker(server)
    at_head(app)
    server.start()
    acknowledged: dict[int, int] = {}
    answers: list[tuple[int, int]] = []
    waiting = list(range(DOCUMENTS))
    unanswered = []  # posts that got no answer: cut by the kill or refused while down
    lock = threading.Lock()

    def post_until_answered() -> None:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}",
                                "Content-Type": "application/xml"})
        while True:
            with lock:
                if not waiting:
                    return
                n = waiting.pop(0)
            while True:  # a portal posts the same bytes again until it has an answer
                try:
                    answer = session.post(f"{server.url}/api/v1/documents",
                                          data=documents[n], timeout=30)
                except requests.RequestException:
                    unanswered.append(n)
                    time.sleep(0.1)
                    continue
                with lock:
                    answers.append((n, answer.status_code))
                    if answer.status_code in (200, 202):
                        acknowledged[n] = answer.json()["id"]
                break

    portals = [threading.Thread(target=post_until_answered) for _ in range(PORTALS)]
    try:
        for thread in portals:
            thread.start()
        while len(acknowledged) < DOCUMENTS // 2 and any(t.is_alive() for t in portals):
            time.sleep(0.02)
        server.kill()
        server.start()
        for thread in portals:
            thread.join(timeout=120)
        if mode == "queued":
            _kill_the_worker_mid_way(app, worker)
    finally:
        server.kill(signal.SIGTERM)
        if worker.child is not None and worker.child.poll() is None:
            worker.kill(signal.SIGTERM)
        forget_revision(app)

    assert unanswered, "the kill came after the last post: nothing was tested"
    assert not [a for a in answers if a[1] >= 500], answers
    assert sorted(acknowledged) == list(range(DOCUMENTS))
    with app.app_context():
        stored = dict(db.session.execute(
            select(Document.sender_document_id, Document.id)
            .where(Document.sender_document_id.like("KILL-%"))).all())
        assert stored == {f"KILL-{n:03d}": acknowledged[n] for n in range(DOCUMENTS)}
        for document in db.session.scalars(select(Document).where(
                Document.id.in_(acknowledged.values()))):
            assert blob_store().exists(document.raw_sha256)
            assert document.state is DocumentState.RECEIVED
            assert [m.kind.value for m in document.marks] == ["delivered"]
            assert [h.action.value for h in document.history] == ["receive"]


def _kill_the_worker_mid_way(app, worker: Worker) -> None:
    """The worker started, killed with SIGKILL once some documents are received and some
    still pending, started again and left until none is pending."""
    assert _states(app).get("pending") == DOCUMENTS
    worker.start()
    deadline = time.monotonic() + 120
    while not _states(app).get("received"):
        assert time.monotonic() < deadline, "the worker verified nothing"
        time.sleep(0.01)
    worker.kill()
    states = _states(app)
    assert states.get("pending"), f"the kill came after the last batch: {states}"
    worker.start()
    while _states(app).get("pending"):
        assert time.monotonic() < deadline + 120, "the worker did not finish"
        time.sleep(0.1)
    worker.kill(signal.SIGTERM)
