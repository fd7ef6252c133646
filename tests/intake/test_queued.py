"""The queued intake (QUJAT_INTAKE_MODE "queued"): the 202 once the bytes are durable, the
signature verified and the delivery mark made by the worker's batch (app/intake/queue.py).
On both databases: the same code, the job run here as ``qujat worker`` runs it."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json

import pytest
from flask_migrate import stamp
from lxml import etree
from sqlalchemy import func, select, text

from app.documents.models import Document
from app.documents.states import DocumentState
from app.documents.storage import blob_store
from app.extensions import MIGRATIONS_DIR, db
from app.intake.models import IntakeAttempt
from app.intake.queue import pending_count, verify_queued
from app.marks.models import Mark
from app.timeutil import utcnow
from app.trust import current_policy
from app.workflow.models import HistoryEntry
from tests.conftest import SENDER_TOKENS


@pytest.fixture
def queued(app):
    settings = app.extensions["qujat.settings"]
    app.extensions["qujat.settings"] = dataclasses.replace(settings, intake_mode="queued")
    yield
    app.extensions["qujat.settings"] = settings


def work(app, batch: int = 100) -> int:
    """The worker's job, as ``qujat worker`` runs it."""
    with app.app_context():
        return verify_queued(policy=current_policy(), store=blob_store(), batch=batch,
                             clock=utcnow)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_answer_comes_before_verification_and_the_worker_receives_it(
        app, queued, portal, pki, login):
    xml = portal.signed("appeal", sender_document_id="Q-1")

    response = portal.post(xml)

    assert response.status_code == 202, response.json
    body = response.json
    assert body["state"] == "pending"
    assert body["verification"] is None and body["delivery_mark"] is None
    assert body["sender_document_id"] == "Q-1"
    with app.app_context():
        document = db.session.get(Document, body["id"])
        assert document.state is DocumentState.PENDING
        assert blob_store().get(document.raw_sha256) == xml
        assert document.marks == [] and document.history == []
        assert document.author_iin is None  # nothing read before the signature holds
        assert count(IntakeAttempt, IntakeAttempt.document_id == body["id"]) == 1
    # the portal's view of it, and the clerk's: not registrable, "verification pending"
    resource = portal.client.get(f"/api/v1/documents/{body['id']}", headers={
        "Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}).json
    assert resource["state"] == "pending" and resource["marks"] == []
    clerk = login("clerk")
    assert f"/documents/{body['id']}\"" not in clerk.get("/").text
    clerk.get("/language/en")
    page = clerk.get(f"/documents/{body['id']}").text
    assert "Verification pending" in page

    assert work(app) == 1

    with app.app_context():
        document = db.session.get(Document, body["id"])
        assert document.state is DocumentState.RECEIVED
        assert document.indication.value == "PASSED"
        assert document.author_iin == pki.keys["individual_sign"].iin
        assert document.kind == "appeal_individual"
        assert not document.content_unverified
        assert [m.kind.value for m in document.marks] == ["delivered"]
        assert b"<ds:Signature" in document.marks[0].xml
        assert [h.action.value for h in document.history] == ["receive"]
        assert document.history[0].from_state is DocumentState.PENDING
    resource = portal.client.get(f"/api/v1/documents/{body['id']}", headers={
        "Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}).json
    assert resource["verification"] == {"indication": "PASSED", "sub_indication": None}
    assert "<ds:Signature" in resource["delivery_mark"]
    assert f"/documents/{body['id']}\"" in clerk.get("/").text
    assert work(app) == 0  # nothing is verified twice


def test_a_retry_gets_the_same_receipt_before_and_after_the_worker(app, queued, portal):
    xml = portal.signed("appeal", sender_document_id="Q-RETRY")
    first = portal.post(xml)

    again = portal.post(xml)
    work(app)
    after = portal.post(xml)
    other = portal.post(portal.signed("appeal", sender_document_id="Q-RETRY"))

    assert first.status_code == again.status_code == after.status_code == 202
    assert again.json == first.json == after.json
    assert other.status_code == 409 and other.json["error"] == "sender_id_reused"
    with app.app_context():
        assert count(Document, Document.sender_document_id == "Q-RETRY") == 1
        assert count(Mark, Mark.document_id == first.json["id"]) == 1
        outcomes = db.session.scalars(select(IntakeAttempt.outcome).where(
            IntakeAttempt.raw_sha256 == hashlib.sha256(xml).hexdigest())
            .order_by(IntakeAttempt.id)).all()
        assert outcomes == ["queued", "replayed", "replayed"]


def test_the_cheap_refusals_are_still_answered_at_once(app, queued, portal):
    xml = portal.signed("appeal")
    root = etree.fromstring(xml)
    next(root.iter("{*}ShortContent")).tag = "{urn:nowhere}Other"

    assert portal.post(b"not xml <").json["error"] == "not_xml"
    assert portal.post(etree.tostring(root)).status_code == 422
    assert portal.post(xml, sender="ELICENSE").json["error"] == "forbidden"
    with app.app_context():
        assert pending_count() == 0


def test_a_failing_signature_is_found_by_the_worker_as_by_the_request(app, queued, portal):
    root = etree.fromstring(portal.signed("appeal"))
    short = next(root.iter("{*}ShortContent"))
    short.text += " (changed)"
    body = portal.post(etree.tostring(root)).json

    work(app)

    with app.app_context():
        document = db.session.get(Document, body["id"])
        assert document.state is DocumentState.RECEIVED
        assert document.indication.value == "FAILED"
        assert document.content_unverified is True
        assert [m.kind.value for m in document.marks] == ["delivered"]


def test_a_refusal_only_the_worker_finds_reaches_the_portal_and_the_clerk(
        app, queued, portal, login):
    """An attachment whose bytes do not match its declared SHA-256 passes the schema: the
    request stores it, the worker refuses it with a signed "refused" mark."""
    from app.formats.model import Attachment

    good = Attachment.of(file_name="a.txt", media_type="text/plain", content=b"hello")
    bad = dataclasses.replace(good, sha256=hashlib.sha256(b"other").hexdigest())
    xml = portal.signed("appeal", attachments=(bad,), sender_document_id="Q-BAD")
    assert base64.b64encode(b"hello") in xml

    body = portal.post(xml).json
    assert body["state"] == "pending"
    work(app)

    with app.app_context():
        document = db.session.get(Document, body["id"])
        assert document.state is DocumentState.REJECTED
        assert document.refusal_reason == "format_invalid"
        assert "SHA-256" in document.refusal_text
        assert [m.kind.value for m in document.marks] == ["delivered", "refused"]
        assert b"format_invalid" in document.marks[1].xml
    marks = portal.client.get("/api/v1/marks?since=0", headers={
        "Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}).json
    assert [m["kind"] for m in marks["marks"] if m["document_id"] == body["id"]] == [
        "delivered", "refused"]
    clerk = login("clerk")
    clerk.get("/language/en")
    page = clerk.get(f"/documents/{body['id']}").text
    assert "Registration refused" in page


def test_history_and_marks_of_a_batch_are_one_commit_each_batch(app, queued, portal):
    ids = [portal.send("appeal").json["id"] for _ in range(5)]

    assert work(app, batch=2) == 5

    with app.app_context():
        assert pending_count() == 0
        assert count(HistoryEntry, HistoryEntry.document_id.in_(ids)) == 5
        assert count(Mark, Mark.document_id.in_(ids)) == 5


def test_two_workers_verify_each_document_once(committed_db, queued, portal, pki,
                                               database_url, tmp_path):
    """Two ``qujat worker`` processes on the same queue, in small batches: every document
    received once (one history entry, one delivered mark), whichever took it."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.conftest import app_config

    ids = [portal.send("appeal").json["id"] for _ in range(24)]
    config = tmp_path / "worker.toml"
    config.write_text("".join(
        f"{key.lower()} = {json.dumps(value, ensure_ascii=False)}\n"  # JSON's quoting is TOML's
        for key, value in {**app_config(pki, database_url, tmp_path / "blobs"),
                           "QUJAT_INTAKE_MODE": "queued", "QUJAT_INTAKE_BATCH": 3}.items()),
        encoding="utf-8")
    env = {**os.environ, "QUJAT_CONFIG": str(config),
           "QUJAT_BLOB_DIR": committed_db.config["QUJAT_BLOB_DIR"]}
    env.pop("QUJAT_DATABASE_URL", None)
    with committed_db.app_context():  # the tests' schema is the migrations' head
        stamp(directory=MIGRATIONS_DIR, revision="head")
    qujat = Path(sys.executable).parent / "qujat"
    # each worker's log in a file, read while it runs
    logs = [tmp_path / f"worker{n}.log" for n in range(2)]
    workers = []
    for log in logs:
        with log.open("wb") as written:  # the worker holds its own copy of the descriptor
            workers.append(subprocess.Popen([str(qujat), "worker"], env=env, cwd=tmp_path,
                                            stdout=written, stderr=subprocess.STDOUT))

    def output(n: int) -> str:
        return logs[n].read_text(encoding="utf-8", errors="replace")

    try:
        deadline = time.monotonic() + 180
        while True:
            with committed_db.app_context():
                # both running, not only the queue empty: one worker can drain it while
                # the other is still starting, and a SIGTERM then ends that one before
                # its handler is in place
                if not pending_count() and all("worker started" in output(n)
                                               for n in range(2)):
                    break
            for n, worker in enumerate(workers):
                assert worker.poll() is None, output(n)
            assert time.monotonic() < deadline, "the workers did not verify the queue"
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        outputs = [output(n) for n in range(2)]
        with committed_db.app_context(), db.engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    assert [w.returncode for w in workers] == [0, 0], outputs

    with committed_db.app_context():
        for document in db.session.scalars(select(Document).where(Document.id.in_(ids))):
            assert document.state is DocumentState.RECEIVED
            assert [m.kind.value for m in document.marks] == ["delivered"]
            assert [h.action.value for h in document.history] == ["receive"]


def test_what_no_longer_passes_when_the_worker_comes_is_refused_not_stuck(
        app, queued, portal):
    """The sender's code changed between the receipt and the worker's batch: the document
    now names a system the sender is not; it is refused, and the queue goes on."""
    from app.documents.models import Sender

    first = portal.send("appeal").json["id"]
    with app.app_context():
        sender = db.session.scalar(select(Sender).where(Sender.code == "EGOV"))
        sender.code = "EGOV-NEW"
        db.session.commit()
    second = portal.send("appeal", sender="ELICENSE").json["id"]

    assert work(app) == 2

    with app.app_context():
        refused, received = db.session.get(Document, first), db.session.get(Document, second)
        assert refused.state is DocumentState.REJECTED
        assert "EGOV-NEW" in refused.refusal_text
        assert [m.kind.value for m in refused.marks] == ["delivered", "refused"]
        assert received.state is DocumentState.RECEIVED
