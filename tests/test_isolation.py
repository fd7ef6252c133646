"""The suite's own isolation (tests/conftest.py): what a test commits is gone for the next
one, ids and registration numbers included, whether it was rolled back or (committed_db)
really committed; and inside a test, a commit stays committed when a later unit of work
rolls back, as it would on a real database.

The tests run in file order: each "after" test checks what its "before" test left, and
checks the seed alone when it runs by itself."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.service import create_user
from app.documents.models import Document
from app.extensions import db
from app.registration import service
from app.timeutil import utcnow
from app.web.transaction import unit_of_work
from tests.conftest import PASSWORD
from tests.factories import make_document

#: what the "before" tests committed: ids and the registration number
_left: dict[str, tuple] = {}


def _commit_a_registered_document_and_a_user() -> tuple:
    clerk = db.session.scalar(select(User).where(User.login == "clerk"))
    with unit_of_work():
        document = make_document(n=7)
        number = service.register(document, clerk=clerk, now=utcnow(), zone="Asia/Almaty")
        user = create_user(login="leftover", full_name="Left Over", password=PASSWORD,
                           roles=[Role.CLERK])
    return document.id, user.id, number


def _nothing_left_and_the_same_ids(before: str) -> None:
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert db.session.scalar(select(User).where(User.login == "leftover")) is None
    assert {u.login for u in db.session.scalars(select(User))} == {r.value for r in Role}
    # the same writes again get the same ids and the same number: nothing depends on
    # which tests ran before
    again = _commit_a_registered_document_and_a_user()
    if before in _left:
        assert again == _left[before]
    assert again[2].endswith("-000001")


def test_before_rollback(app, db_session):
    _left["rollback"] = _commit_a_registered_document_and_a_user()
    assert db.session.get(Document, _left["rollback"][0]) is not None


def test_after_rollback(app, db_session):
    _nothing_left_and_the_same_ids("rollback")


def test_before_committed(app, committed_db, db_session):
    _left["committed"] = _commit_a_registered_document_and_a_user()
    # committed for real: another connection sees it
    with db.engine.connect() as other:
        assert other.execute(select(func.count()).select_from(Document)).scalar_one() == 1


def test_after_committed(app, db_session):
    _nothing_left_and_the_same_ids("committed")


def test_a_failed_unit_of_work_keeps_what_was_committed_before(app, db_session):
    with unit_of_work():
        kept = make_document(n=1).id
    with pytest.raises(RuntimeError), unit_of_work():
        make_document(n=2)
        raise RuntimeError("the request failed")

    assert db.session.scalars(select(Document.id)).all() == [kept]
