"""Two people acting on the same document at the same moment: one wins, the other is told
the document changed meanwhile, and nothing of the loser's is half-stored."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.documents.models import Document
from app.errors import InvalidTransition, StaleDocument
from app.execution import service as execution
from app.execution.models import Draft
from app.extensions import db
from app.resolution import service as resolution
from app.resolution.models import Resolution
from app.timeutil import utcnow
from app.web.transaction import unit_of_work
from app.workflow.models import HistoryEntry
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document

# each action runs in its own thread, session and connection: they must see real commits
pytestmark = pytest.mark.usefixtures("committed_db")


def _at_once(app, *actions):
    """Run each action in its own thread and session, released together."""
    barrier = threading.Barrier(len(actions))
    errors: list[Exception] = []

    def run(action):
        with app.app_context():
            try:
                barrier.wait()
                with unit_of_work():
                    action()
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _user(login: str) -> User:
    return db.session.scalar(select(User).where(User.login == login))


def test_two_heads_resolving_at_once_one_wins(app):
    with app.app_context():
        org = Org()
        document_id = road.registered(make_document(), org).id
        version = db.session.get(Document, document_id).version
        db.session.commit()

    def assign():
        doc = db.session.get(Document, document_id)
        due = date.today() + timedelta(days=10)
        resolution.assign(doc, head=_user("head"), executor=_user("executor"), due_date=due,
                          proposed=due, now=utcnow(), expected_version=version,
                          rules=deadline_rules())

    def leave():
        doc = db.session.get(Document, document_id)
        resolution.leave_without_consideration(doc, head=_user("head"), reason="Анонимное",
                                               now=utcnow(), expected_version=version)

    errors = _at_once(app, assign, leave)

    assert len(errors) == 1 and isinstance(errors[0], (StaleDocument, InvalidTransition))
    with app.app_context():
        resolutions = db.session.scalar(select(func.count()).select_from(Resolution))
        steps = db.session.scalars(select(HistoryEntry.action)
                                   .where(HistoryEntry.document_id == document_id)).all()
        assert resolutions == 1
        assert sum(a.value in ("assign", "leave") for a in steps) == 1


def test_two_saves_of_the_same_draft_one_is_refused(app):
    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org)
        draft_version = execution.draft_of(doc).version
        document_id = doc.id
        db.session.commit()

    def save(text):
        def action():
            doc = db.session.get(Document, document_id)
            execution.save_draft(doc, executor=_user("executor"), now=utcnow(),
                                 draft_version=draft_version, outcome="explained", text=text,
                                 legal_basis="", appeal_procedure="")
        return action

    errors = _at_once(app, save("первый вариант"), save("второй вариант"))

    assert len(errors) == 1 and isinstance(errors[0], StaleDocument)
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.document_id == document_id))
        assert draft.text in ("первый вариант", "второй вариант")
        assert draft.version == draft_version + 1
