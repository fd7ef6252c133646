"""Clerks registering at the same moment never get a gap or a duplicate number."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.documents.models import Document
from app.errors import InvalidTransition, StaleDocument
from app.extensions import db
from app.registration import service
from app.timeutil import utcnow
from app.web.transaction import unit_of_work
from tests.factories import make_document

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"

# each clerk registers in its own thread, session and connection: real commits and locks
pytestmark = pytest.mark.usefixtures("committed_db")

CLERKS = 8


def _register_in_thread(app, document_id: int, barrier: threading.Barrier, out: list, errors: list):
    with app.app_context():
        try:
            barrier.wait()
            with unit_of_work():
                document = db.session.get(Document, document_id)
                clerk = db.session.scalar(select(User).where(User.login == "clerk"))
                out.append(service.register(document, clerk=clerk, now=utcnow(), zone=ZONE))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            db.session.remove()


def _run(app, ids):
    barrier = threading.Barrier(len(ids))
    numbers: list[str] = []
    errors: list[Exception] = []
    threads = [threading.Thread(target=_register_in_thread, args=(app, i, barrier, numbers, errors))
               for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return numbers, errors


def test_simultaneous_registrations_get_consecutive_numbers(app):
    with app.app_context():
        ids = [make_document(n=n).id for n in range(CLERKS)]
        db.session.commit()

    numbers, errors = _run(app, ids)

    assert errors == []
    year = utcnow().year
    assert sorted(numbers) == [f"ЖТ-{year}-{n:06d}" for n in range(1, CLERKS + 1)]


def test_two_clerks_on_the_same_document_one_wins_and_no_number_is_lost(app):
    with app.app_context():
        contested = make_document(n=1).id
        other = make_document(n=2).id
        db.session.commit()

    numbers, errors = _run(app, [contested, contested])
    assert len(numbers) == 1
    # the loser read either the old version (stale) or the new state (not allowed)
    assert len(errors) == 1
    assert isinstance(errors[0], (StaleDocument, InvalidTransition))

    with app.app_context():
        clerk = db.session.scalar(select(User).where(User.login == "clerk"))
        with unit_of_work():
            following = service.register(db.session.get(Document, other), clerk=clerk,
                                         now=utcnow(), zone=ZONE)
    assert following.endswith("000002")
