"""Who may do what: every person of a small body × every state × every act.

The document sits in the roads department (below the management), waits for or was
assigned by the management's head, is executed by "executor" with "coexecutor", and
names "signer" as its official. The table below is the rule in words; ``may`` must agree
with it everywhere, ``require`` must refuse exactly where ``may`` says no, and the
document page must offer exactly the forms ``may`` allows.
"""

from __future__ import annotations

import itertools
import re

import pytest

from app.documents.states import TRANSITIONS, Action, DocumentState
from app.errors import InvalidTransition, PermissionDenied
from app.workflow.parties import Part, add_party, set_coexecutors
from app.workflow.permissions import RULES, Task, may, possible_now, require
from tests.factories import Org, make_document

PEOPLE = ("clerk", "admin", "head", "roads-head", "edu-head", "executor", "coexecutor",
          "outsider", "signer")

CLERKS = {"clerk", "admin"}
#: the head the document waits for ("head", named resolver) and an administrator; the
#: head of the document's department ("roads-head") is not its resolver while the document
#: waits for another head, and a head above a pass-down no longer resolves it either: one
#: resolver, never assigned twice
RESOLVERS = {"head", "admin"}

#: the rule, in words: who may, when the state allows the act at all
WHO: dict[Action | Task, set[str]] = {
    Action.RECEIVE: set(),
    Action.REGISTER: CLERKS,
    Action.REJECT: CLERKS,
    Action.ROUTE: CLERKS,
    Action.PASS_DOWN: RESOLVERS,
    Action.ASSIGN: RESOLVERS,
    Action.REDIRECT: RESOLVERS,
    Action.LEAVE: RESOLVERS,
    # the head who assigned it (approver), the heads controlling the department, an admin
    Action.CHANGE_DEADLINE: {"head", "roads-head", "admin"},
    # extending, suspending, answering the executor's request: the same heads (app/control)
    Action.EXTEND: {"head", "roads-head", "admin"},
    Action.REFUSE_EXTENSION: {"head", "roads-head", "admin"},
    Action.SUSPEND: {"head", "roads-head", "admin"},
    Action.RESUME: {"head", "roads-head", "admin"},
    # only the one who owes the reply asks for more time for it
    Action.REQUEST_EXTENSION: {"executor"},
    # the reply is the executor's own: not even an administrator submits it for him
    Action.SUBMIT: {"executor"},
    Task.EDIT_REPLY: {"executor"},
    Task.CONTRIBUTE: {"executor", "coexecutor"},
    # before the answer: the clerk at registration, the head at the resolution
    Task.LINK_REPEAT: {"clerk", "admin", "head"},
    Action.APPROVE: {"head", "admin"},
    Action.RETURN: {"head", "admin"},
    # a signature is personal
    Action.SIGN: {"signer"},
    Action.REFUSE_SIGNATURE: {"signer"},
    Action.REOPEN: {"admin"},
    # follows an administrator's change of the deadline rules or the calendar
    Action.RECOMPUTE_DEADLINE: {"admin"},
    # an inspection request's visit: a clerk, or a head over the document's department
    Task.SCHEDULE_INSPECTION: CLERKS | {"head", "roads-head"},
    # a status mark given up on is pushed again from /admin/marks, whatever the state
    Task.RETRY_MARK: {"admin"},
}

ACTS = [*Action, *Task]


@pytest.fixture
def body(db_session):
    org = Org()
    people = {"clerk": org.clerk, "admin": org.admin, "head": org.head,
              "roads-head": org.roads_head, "edu-head": org.other_head,
              "executor": org.executor, "coexecutor": org.coexecutor,
              "outsider": org.outsider, "signer": org.signer}
    doc = make_document()
    doc.department_id = org.roads.id
    doc.resolver_id = org.head.id
    doc.executor_id = org.executor.id
    doc.approver_id = org.head.id
    doc.signer_id = org.signer.id
    db_session.flush()
    set_coexecutors(doc, [org.coexecutor.id])
    add_party(doc, org.head.id, Part.RESOLUTION_AUTHOR)
    db_session.flush()
    return doc, people


def test_the_rule_in_words_covers_every_act():
    assert set(WHO) == set(ACTS) == set(RULES)


def test_may_follows_the_table_for_every_person_state_and_act(body):
    doc, people = body
    wrong = []
    for state, act in itertools.product(DocumentState, ACTS):
        doc.state = state
        expected = WHO[act] if possible_now(act, state) else set()
        allowed = {name for name, user in people.items() if may(user, act, doc)}
        if allowed != expected:
            wrong.append(f"{act.value} in {state.value}: {sorted(allowed)} != {sorted(expected)}")
    assert wrong == []


def test_a_step_is_possible_exactly_where_the_transition_table_has_it():
    for state, action in itertools.product(DocumentState, Action):
        assert possible_now(action, state) == ((state, action) in TRANSITIONS)
    # a refused registration stays closed: the table has no reopening for it
    assert not possible_now(Action.REOPEN, DocumentState.REJECTED)
    assert possible_now(Action.REOPEN, DocumentState.ANSWERED)


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.value)
def test_require_refuses_exactly_where_may_says_no(body, act):
    doc, people = body
    for state in DocumentState:
        doc.state = state
        for name, user in people.items():
            if may(user, act, doc):
                require(user, act, doc)
                continue
            expected = PermissionDenied if possible_now(act, state) else InvalidTransition
            with pytest.raises(expected) as refused:
                require(user, act, doc)
            if expected is PermissionDenied:
                # the refusal says who may, in the rule's words
                assert refused.value.message is RULES[act][1], (name, act)


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.value)
def test_a_refusal_is_read_in_the_readers_language(app, act):
    from flask_babel import force_locale

    message = RULES[act][1]
    with app.test_request_context():
        with force_locale("en"):
            english = str(message)
        with force_locale("kk"):
            kazakh = str(message)
    assert english.startswith(("Only", "Documents"))
    assert kazakh != english and re.search("[а-яәіңғүұқөһ]", kazakh)


def test_nobody_acts_on_a_document_they_are_not_signed_in_for(body):
    from flask_login import AnonymousUserMixin

    doc, _people = body
    doc.state = DocumentState.RECEIVED
    assert not may(AnonymousUserMixin(), Action.REGISTER, doc)
