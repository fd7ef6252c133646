"""The transition table: every pair it lists works, every other pair is refused."""

from __future__ import annotations

import itertools

import pytest

from app.documents.states import TRANSITIONS, Action, DocumentState
from app.errors import InvalidTransition
from app.timeutil import utcnow
from app.workflow.transition import transition
from tests.factories import make_document

ALL_PAIRS = list(itertools.product(list(DocumentState), list(Action)))


def _fill_what_the_mark_reports(document, action: Action) -> None:
    """The service sets these before it moves the document; the mark reports them."""
    if action is Action.REGISTER:
        document.registration_number, document.registered_at = "ЖТ-2026-000001", utcnow()
    if action is Action.REJECT:
        document.refusal_reason, document.refusal_text = "duplicate", "Уже поступало"


def _mark_details(action: Action, document) -> dict:
    """What the services hand to ``transition`` for the marks that carry details."""
    from app.formats.model import CodedName

    if action is Action.REDIRECT:
        return {"redirected_to": CodedName(code="MVD", name="Министерство внутренних дел")}
    if action is Action.LEAVE:
        return {"reason_text": "Анонимное обращение"}
    if action is Action.EXTEND:
        from datetime import date

        from app.formats.model import Extension

        return {"extension": Extension(due=date(2026, 12, 30),
                                       reason="Запрошено заключение другого органа")}
    if action is Action.SIGN:
        from datetime import date

        from sqlalchemy import select

        from app.auth.models import User
        from app.execution.models import Letter
        from app.extensions import db
        from app.marks.service import LetterRef

        signer_id = db.session.scalar(select(User.id).where(User.login == "signer"))
        letter = Letter(document=document, outgoing_number="ИСХ-2026-000001",
                        outgoing_date=date(2026, 11, 23),
                        outcome="explained", language="ru", signer_id=signer_id,
                        signed_at=utcnow(), certificate_subject="CN=test",
                        certificate_serial="01", xml=b"<x/>")
        db.session.add(letter)
        db.session.flush()
        return {"letter": LetterRef(letter_id=letter.id, outgoing_number=letter.outgoing_number,
                                    outgoing_date=letter.outgoing_date)}
    return {}


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS)
def test_transition_table(db_session, state, action):
    document = make_document()
    document.state = state
    step = TRANSITIONS.get((state, action))

    if step is None:
        with pytest.raises(InvalidTransition):
            transition(document, action, actor=None, now=utcnow())
        assert document.state is state
    else:
        _fill_what_the_mark_reports(document, action)
        marks_before = len(document.marks)
        entry = transition(document, action, actor=None, now=utcnow(), comment="test",
                           **_mark_details(action, document))
        assert document.state is step.target
        assert (entry.from_state, entry.to_state, entry.comment) == (state, step.target, "test")
        assert [m.kind for m in document.marks[marks_before:]] == list(step.marks)
        assert (document.closed_at is not None) == step.target.closed
