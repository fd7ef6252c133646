"""Nothing acknowledged is lost, and nothing answers 500, when the server is killed mid-load.

    .venv/bin/python bench/kill_under_load.py DEMO_DIR [--documents 500] [--clients 8]
                                               [--database-url URL]

DEMO_DIR is a directory made by `qujat demo` (its PKI signs the documents, its qujat.toml
configures the server; ``--database-url`` points the server at PostgreSQL instead of the
demo's SQLite). The script starts the server, has ``--clients`` portal threads post
``--documents`` signed appeals, kills the server with SIGKILL when half are acknowledged,
starts it again, lets the portals retry what got no answer (the same bytes: a retry), and
then checks that every document the server acknowledged with 202 is in the database with its
bytes in the blob store. It prints the counts and exits 1 on a loss or a 5xx.

``--intake-mode queued`` (QUJAT_INTAKE_MODE; the default on PostgreSQL) then starts
``qujat worker``, kills it with SIGKILL once it has received some of the documents and not
all, starts it again, and checks that every acknowledged document was verified once: in
the state "received", with one history entry and one delivered mark.

``bench/kill_behind_proxy.py`` does the same to a running installation behind its reverse
proxy (the README's Production walk): it kills gunicorn's processes, not a server it
started.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(demo: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    qujat = Path(sys.executable).with_name("qujat")
    server = subprocess.Popen([str(qujat), "run", "--port", str(port), "--with-threads"],
                              cwd=demo, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("demo", type=Path)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url")
    parser.add_argument("--intake-mode", choices=("synchronous", "queued", "auto"),
                        default="auto")
    args = parser.parse_args()
    demo = args.demo.resolve()

    from qujat_demo.portal.documents import build, load_key, signed_bytes

    env = dict(os.environ, QUJAT_CONFIG=str(demo / "qujat.toml"), FLASK_APP="app:create_app",
               QUJAT_SESSION_COOKIE_SECURE="0")
    if args.database_url:
        env["QUJAT_SQLALCHEMY_DATABASE_URI"] = args.database_url
    env["QUJAT_INTAKE_MODE"] = args.intake_mode
    env["QUJAT_INTAKE_BATCH"] = "10"
    key = load_key(demo / "pki" / "keys" / "individual_sign.p12", "Qwerty12")
    run = f"LOAD-{int(time.time())}"
    print(f"signing {args.documents} appeals…", flush=True)
    documents = [signed_bytes(build("appeal", seed=n, signer=key, overrides={
        "sender_system": "EGOV", "sender_document_id": f"{run}-{n:05d}"}), key)
        for n in range(args.documents)]

    port = free_port()
    url = f"http://127.0.0.1:{port}/api/v1/documents"
    server = start(demo, port, env)
    acknowledged: dict[int, int] = {}
    server_errors: list[tuple[int, int, str]] = []
    refused: list[tuple[int, int, str]] = []
    lock = threading.Lock()
    queue = list(range(args.documents))
    killed = threading.Event()

    def portal() -> None:
        session = requests.Session()
        session.headers.update({"Authorization": "Bearer demo-egov-token",
                                "Content-Type": "application/xml"})
        while True:
            with lock:
                if not queue:
                    return
                n = queue.pop(0)
            while True:  # a portal retries until it has an answer
                try:
                    response = session.post(url, data=documents[n], timeout=30)
                except requests.RequestException:
                    time.sleep(0.2)
                    continue
                with lock:
                    if response.status_code >= 500:
                        server_errors.append((n, response.status_code, response.text[:200]))
                    elif response.status_code == 202:
                        acknowledged[n] = response.json()["id"]
                    else:
                        refused.append((n, response.status_code, response.text[:200]))
                break

    threads = [threading.Thread(target=portal) for _ in range(args.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while len(acknowledged) < args.documents // 2 and any(t.is_alive() for t in threads):
        time.sleep(0.05)
    server.send_signal(signal.SIGKILL)
    server.wait()
    killed.set()
    print(f"killed the server with {len(acknowledged)} acknowledged", flush=True)
    server = start(demo, port, env)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    server.terminate()
    server.wait()

    os.environ.update(env)
    from sqlalchemy import func, select

    from app import create_app
    from app.documents.models import Document
    from app.documents.states import DocumentState
    from app.documents.storage import blob_store
    from app.extensions import db

    os.chdir(demo)
    app = create_app()
    twice = []
    with app.app_context():
        queued = db.session.scalar(select(func.count(Document.id)).where(
            Document.sender_document_id.like(f"{run}-%"),
            Document.state == DocumentState.PENDING))
    if queued:
        twice = _kill_the_worker(app, demo, env, run)
    lost = []
    with app.app_context():
        stored = dict(db.session.execute(select(Document.sender_document_id, Document.id)
                                         .where(Document.sender_document_id.like(f"{run}-%"))
                                         ).all())
        for n, document_id in acknowledged.items():
            sender_id = f"{run}-{n:05d}"
            if stored.get(sender_id) != document_id:
                lost.append(sender_id)
            elif not blob_store().exists(db.session.get(Document, document_id).raw_sha256):
                lost.append(sender_id + " (bytes)")
    print(f"{len(acknowledged)} of {args.documents} acknowledged in {elapsed:.1f} s "
          f"({len(acknowledged) / elapsed:.0f}/s) with one SIGKILL; {len(stored)} stored; "
          f"lost {len(lost)}; 5xx answers {len(server_errors)}; "
          f"not received exactly once {len(twice)}")
    for item in (lost + twice + [str(e) for e in server_errors + refused])[:10]:
        print("  ", item)
    return 1 if (lost or twice or server_errors or refused
                 or len(acknowledged) != args.documents) else 0


def _kill_the_worker(app, demo: Path, env: dict[str, str], run: str) -> list[str]:
    """The queued documents: ``qujat worker`` killed with SIGKILL mid-way through them,
    started again until none waits; the documents not received exactly once."""
    from sqlalchemy import func, select

    from app.documents.models import Document
    from app.documents.states import DocumentState
    from app.extensions import db

    def states() -> dict[str, int]:
        with app.app_context():
            rows = db.session.execute(
                select(Document.state, func.count()).where(
                    Document.sender_document_id.like(f"{run}-%")).group_by(Document.state))
            return {state.value: n for state, n in rows}

    qujat = Path(sys.executable).with_name("qujat")

    def worker() -> subprocess.Popen:
        return subprocess.Popen([str(qujat), "worker"], cwd=demo, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    first = worker()
    while not states().get("received"):
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    print(f"killed the worker at {states()}", flush=True)
    second = worker()
    while states().get("pending"):
        time.sleep(0.2)
    second.terminate()
    second.wait()
    wrong = []
    with app.app_context():
        for document in db.session.scalars(select(Document).where(
                Document.sender_document_id.like(f"{run}-%"))):
            marks = [mark.kind.value for mark in document.marks]
            history = [entry.action.value for entry in document.history]
            if (document.state is not DocumentState.RECEIVED or marks != ["delivered"]
                    or history != ["receive"]):
                wrong.append(f"{document.sender_document_id}: {document.state.value} "
                             f"{marks} {history}")
    return wrong


if __name__ == "__main__":
    sys.exit(main())
