"""The transition table: every pair it lists works, every other pair is refused."""

from __future__ import annotations

import itertools

import pytest

from app.errors import InvalidTransition
from app.timeutil import utcnow
from app.workflow.states import TRANSITIONS, Action, DocumentState, transition
from tests.factories import make_document

ALL_PAIRS = list(itertools.product(list(DocumentState), list(Action)))


def _fill_what_the_mark_reports(document, action: Action) -> None:
    """The service sets these before it moves the document; the mark reports them."""
    if action is Action.REGISTER:
        document.registration_number, document.registered_at = "ЖТ-2026-000001", utcnow()
    if action is Action.REJECT:
        document.refusal_reason, document.refusal_text = "duplicate", "Уже поступало"


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
        entry = transition(document, action, actor=None, now=utcnow(), comment="test")
        assert document.state is step.target
        assert (entry.from_state, entry.to_state, entry.comment) == (state, step.target, "test")
        if step.mark:
            assert document.marks[-1].kind is step.mark
