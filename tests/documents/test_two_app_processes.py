"""Two app processes, each in a working directory of its own (two machines, as far as
files go), on one PostgreSQL database: a document accepted by one is read whole by the
other, its original XML and its attachment, and neither wrote a file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app.documents.models import Attachment, Document
from app.extensions import db
from app.formats.model import Attachment as SentAttachment
from qujat_demo.demo import write_config
from tests.conftest import PASSWORD, SENDER_TOKENS, Portal, csrf_token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppProcess:
    """``qujat run`` (the development server) in ``workdir``, on the tests' database."""

    def __init__(self, workdir: Path, pki, database_url: str):
        workdir.mkdir()
        self.workdir = workdir
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "QUJAT_CONFIG": str(write_config(workdir, pki)),
               "QUJAT_DATABASE_URL": database_url, "QUJAT_SECRET_KEY": "two-machines",
               "QUJAT_BLOB_DIR": str(workdir / "blobs"),
               # the verdict and the files in the answer's transaction (the queued
               # intake's worker is tests/intake/test_queued.py's affair)
               "QUJAT_INTAKE_MODE": "synchronous"}
        qujat = Path(sys.executable).parent / "qujat"
        self.child = subprocess.Popen(
            [str(qujat), "run", "--port", str(self.port), "--no-reload", "--no-debugger"],
            env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{self.base}/healthz", timeout=5)
                return
            except requests.ConnectionError:
                assert self.child.poll() is None, self.child.stdout.read().decode()
                assert time.monotonic() < deadline, "the app did not come up"
                time.sleep(0.2)

    def stop(self) -> None:
        self.child.send_signal(signal.SIGTERM)
        self.child.communicate(timeout=30)


@pytest.fixture
def two_processes(committed_db, pki, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several machines share PostgreSQL")
    processes = [AppProcess(tmp_path / name, pki, database_url) for name in ("one", "two")]
    try:
        for process in processes:
            process.wait()
        yield processes
    finally:
        for process in processes:
            process.stop()


def _login(base: str, role: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10)
    answer = session.post(f"{base}/login", timeout=10, allow_redirects=False, data={
        "login": role, "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert answer.status_code == 302, answer.text
    return session


def test_what_one_process_accepted_the_other_reads(two_processes, pki, client, app):
    one, two = two_processes
    annex = SentAttachment.of(file_name="annex.txt", media_type="text/plain",
                              content="приложение, машина один\n".encode())
    xml = Portal(pki, client).signed("appeal", attachments=(annex,))
    accepted = requests.post(f"{one.base}/api/v1/documents", data=xml, timeout=30, headers={
        "Authorization": f"Bearer {SENDER_TOKENS['EGOV']}", "Content-Type": "application/xml"})
    assert accepted.status_code == 202, accepted.text
    document_id = accepted.json()["id"]
    with app.app_context():
        assert db.session.get(Document, document_id).indication.value == "PASSED"
        attachment_id = db.session.scalar(
            select(Attachment.id).where(Attachment.document_id == document_id))

    clerk = _login(two.base, "clerk")
    assert clerk.get(f"{two.base}/documents/{document_id}", timeout=10).status_code == 200
    original = clerk.get(f"{two.base}/documents/{document_id}/original.xml", timeout=10)
    assert original.status_code == 200
    assert original.content == xml
    file = clerk.get(f"{two.base}/documents/{document_id}/attachments/{attachment_id}",
                     timeout=10)
    assert file.status_code == 200
    assert file.content == annex.content
    # the bytes live in the database: neither machine has a file of them
    assert not [f for p in two_processes for f in (p.workdir / "blobs").glob("??/??/*")]
