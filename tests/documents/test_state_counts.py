"""The count of documents per state the database keeps: always what counting the
documents says, whoever changes them, concurrently, rolled back or folded meanwhile."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, select

from app.auth.models import User
from app.documents import counts
from app.documents.counts import DocumentStateCount
from app.documents.models import Document
from app.documents.states import DocumentState
from app.errors import InvalidTransition, StaleDocument
from app.extensions import db
from app.formats.choices import RefusalReason
from app.registration import service
from app.timeutil import utcnow
from app.web.transaction import unit_of_work
from tests.factories import make_document

ZONE = "Asia/Almaty"


def _counted() -> dict[DocumentState, int]:
    rows = db.session.execute(select(Document.state, func.count()).group_by(Document.state))
    return {state: n for state, n in rows}


def _clerk() -> User:
    return db.session.scalar(select(User).where(User.login == "clerk"))


def test_counts_follow_intake_registration_refusal_bulk_inserts_and_deletes(db_session):
    documents = [make_document(n=n) for n in range(1, 6)]
    service.register(documents[0], clerk=_clerk(), now=utcnow(), zone=ZONE)
    service.register(documents[1], clerk=_clerk(), now=utcnow(), zone=ZONE)
    service.refuse(documents[2], clerk=_clerk(), now=utcnow(),
                   reason=RefusalReason.EDS_CHECK_FAILED, text="")
    db.session.flush()
    assert counts.state_counts() == _counted() == {
        DocumentState.RECEIVED: 2, DocumentState.REGISTERED: 2, DocumentState.REJECTED: 1}

    # rows written past the ORM are counted too: a bulk insert, a delete
    template = {c: getattr(documents[4], c) for c in (
        "sender_id", "raw_sha256", "raw_size", "family", "kind", "indication", "report",
        "version")}
    db.session.execute(insert(Document), [
        {**template, "sender_document_id": f"BULK-{n}", "received_at": utcnow(),
         "state": DocumentState.ANSWERED} for n in range(3)])
    db.session.execute(delete(Document).where(Document.sender_document_id == "BULK-0"))
    assert counts.state_counts() == _counted() == {
        DocumentState.RECEIVED: 2, DocumentState.REGISTERED: 2, DocumentState.REJECTED: 1,
        DocumentState.ANSWERED: 2}
    assert counts.count_in({DocumentState.RECEIVED, DocumentState.REGISTERED}) == 4

    # folding leaves one row per state and the same sums
    assert counts.fold() > 4
    assert counts.state_counts() == _counted()
    assert db.session.scalar(select(func.count()).select_from(DocumentStateCount)) == 4


def test_recount_starts_from_the_documents(db_session):
    for n in range(1, 4):
        make_document(n=n)
    db.session.execute(insert(DocumentStateCount).values(state="answered", n=7))
    counts.recount()
    assert counts.state_counts() == _counted() == {DocumentState.RECEIVED: 3}


CLERKS = 6


def _work(app, ids: list[int], barrier: threading.Barrier, errors: list) -> None:
    """Register or refuse each document in its own transaction; every third attempt is
    rolled back after the change (its rows must not count)."""
    with app.app_context():
        try:
            barrier.wait()
            for k, document_id in enumerate(ids):
                try:
                    with unit_of_work():
                        document = db.session.get(Document, document_id)
                        if k % 2:
                            service.register(document, clerk=_clerk(), now=utcnow(), zone=ZONE)
                        else:
                            service.refuse(document, clerk=_clerk(), now=utcnow(),
                                           reason=RefusalReason.EDS_CHECK_FAILED, text="")
                        db.session.flush()
                        if k % 3 == 2:
                            raise _Undo
                except (_Undo, StaleDocument, InvalidTransition):
                    db.session.rollback()
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            db.session.remove()


class _Undo(Exception):
    pass


def _fold_until(app, done: threading.Event, errors: list) -> None:
    with app.app_context():
        try:
            while not done.is_set():
                counts.fold()
                db.session.commit()
        except Exception as exc:
            errors.append(exc)
        finally:
            db.session.remove()


@pytest.mark.usefixtures("committed_db")
def test_counts_stay_exact_under_concurrent_changes_rollbacks_and_folds(app):
    with app.app_context():
        ids = [make_document(n=n, received_at=utcnow() - timedelta(minutes=n)).id
               for n in range(CLERKS * 6)]
        db.session.commit()
    errors: list[Exception] = []
    barrier = threading.Barrier(CLERKS)
    done = threading.Event()
    # the clerks share the documents two by two, so some meet on the same one
    workers = [threading.Thread(target=_work, args=(app, ids[(c // 2) * 12:(c // 2) * 12 + 12],
                                                   barrier, errors)) for c in range(CLERKS)]
    folders = [threading.Thread(target=_fold_until, args=(app, done, errors)) for _ in range(2)]
    for thread in workers + folders:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    done.set()
    for thread in folders:
        thread.join(timeout=60)

    assert errors == []
    with app.app_context():
        counted = _counted()
        assert set(counted) >= {DocumentState.REGISTERED, DocumentState.REJECTED}
        assert counts.state_counts() == counted
        counts.fold()
        db.session.commit()
        assert counts.state_counts() == counted
