"""Every state a document can be in, every action that moves it, and nothing else.

The table is pure data: no database, no Flask. ``app.workflow.transition`` is the one
function that moves a document along it (and writes the history and the marks).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from app.errors import InvalidTransition
from app.formats.choices import MarkKind

if TYPE_CHECKING:
    from app.documents.models import Document


class DocumentState(enum.StrEnum):
    #: accepted by the queued intake (the bytes are durable, the portal has its 202): the
    #: signature is not verified yet, nothing is read from the document; a worker's batch
    #: verifies it and RECEIVES it (app/intake/queue.py). Nobody can act on it meanwhile
    PENDING = "pending"
    RECEIVED = "received"
    REGISTERED = "registered"
    REJECTED = "rejected"
    #: at a head, waiting for a resolution
    ON_RESOLUTION = "on_resolution"
    #: an executor is drafting the reply
    IN_EXECUTION = "in_execution"
    #: the draft waits for the approving head
    ON_APPROVAL = "on_approval"
    #: the approved letter waits for the official's signature
    ON_SIGNATURE = "on_signature"
    #: the signed letter is sent; the document is off control (снят с контроля)
    ANSWERED = "answered"
    #: sent on to the competent state body; closed here
    REDIRECTED = "redirected"
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration"

    @property
    def label(self):
        return _STATE_LABELS[self]

    @property
    def colour(self) -> str:
        """The colour of seed 004's execution circle for this state."""
        return _STATE_COLOURS[self]

    @property
    def closed(self) -> bool:
        """Closed documents are read-only; only an admin's reopening changes them."""
        return self in CLOSED_STATES


_STATE_LABELS = {
    DocumentState.PENDING: _l("Verification pending"),
    DocumentState.RECEIVED: _l("Received"),
    DocumentState.REGISTERED: _l("Registered"),
    DocumentState.REJECTED: _l("Registration refused"),
    DocumentState.ON_RESOLUTION: _l("On resolution"),
    DocumentState.IN_EXECUTION: _l("In execution"),
    DocumentState.ON_APPROVAL: _l("Reply on approval"),
    DocumentState.ON_SIGNATURE: _l("Reply on signature"),
    DocumentState.ANSWERED: _l("Answered, off control"),
    DocumentState.REDIRECTED: _l("Redirected by competence"),
    DocumentState.LEFT_WITHOUT_CONSIDERATION: _l("Left without consideration"),
}

# Seed 004's circle: blue delivered, orange registered, light brown passed to resolution,
# light green passed to execution, dark brown executed, dark green reply delivered. A refusal
# is shown closed (grey). The portal knows only marks, so the drafting, approval and signing
# inside the office stay light green until the letter leaves; an answered document is
# "executed" (dark brown) until the portal has its letter: only the letter mark makes the
# circle dark green (circle_colour below).
_STATE_COLOURS = {
    # the portal has our 202 (no mark yet): it is with us, as a delivered one is
    DocumentState.PENDING: "blue",
    DocumentState.RECEIVED: "blue",
    DocumentState.REGISTERED: "orange",
    DocumentState.REJECTED: "grey",
    DocumentState.ON_RESOLUTION: "lightbrown",
    DocumentState.IN_EXECUTION: "lightgreen",
    DocumentState.ON_APPROVAL: "lightgreen",
    DocumentState.ON_SIGNATURE: "lightgreen",
    DocumentState.ANSWERED: "darkbrown",
    DocumentState.REDIRECTED: "darkbrown",
    DocumentState.LEFT_WITHOUT_CONSIDERATION: "darkbrown",
}

#: the circle's colour after each mark. Seed 004's legend: blue delivered, orange
#: registered, light brown passed to resolution, light green passed to execution, dark
#: brown executed, dark green the reply delivered to the author (the letter mark, made when
#: the portal has the letter: app/marks/receipt.py). The marks it does not name take the
#: colour of the step they are: a refusal to register closes the document before
#: registration (grey, as the desk draws closed refusals); a redirection by competence or
#: leaving without consideration is the document's consideration here ending (dark brown,
#: as "executed"); an extension keeps it in execution (light green).
MARK_COLOURS = {
    MarkKind.DELIVERED: "blue",
    MarkKind.REGISTERED: "orange",
    MarkKind.REFUSED: "grey",
    MarkKind.PASSED_TO_RESOLUTION: "lightbrown",
    MarkKind.PASSED_TO_EXECUTION: "lightgreen",
    MarkKind.EXTENDED: "lightgreen",
    MarkKind.EXECUTED: "darkbrown",
    MarkKind.LETTER: "darkgreen",
    MarkKind.REDIRECTED: "darkbrown",
    MarkKind.LEFT_WITHOUT_CONSIDERATION: "darkbrown",
}


def circle_colour(state: DocumentState, last_mark: MarkKind | None) -> str:
    """The colour of the portal's execution circle (seed 004) for a document in ``state``
    whose last status mark is ``last_mark``: the circle follows the marks, so an answered
    document is dark brown ("executed") until the portal has its letter and the LETTER mark
    is made, then dark green. Before any mark, the state's own colour. The status page and
    every desk's dot draw this one."""
    return MARK_COLOURS[last_mark] if last_mark is not None else state.colour


CLOSED_STATES = frozenset({
    DocumentState.REJECTED,
    DocumentState.ANSWERED,
    DocumentState.REDIRECTED,
    DocumentState.LEFT_WITHOUT_CONSIDERATION,
})

#: states in which the document is "on control": someone owes an answer by a deadline
CONTROLLED_STATES = frozenset({
    DocumentState.IN_EXECUTION,
    DocumentState.ON_APPROVAL,
    DocumentState.ON_SIGNATURE,
})


class Action(enum.StrEnum):
    RECEIVE = "receive"
    REGISTER = "register"
    REJECT = "reject"
    ROUTE = "route"
    PASS_DOWN = "pass_down"
    ASSIGN = "assign"
    REDIRECT = "redirect"
    LEAVE = "leave"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REFUSE_SIGNATURE = "refuse_signature"
    SIGN = "sign"
    REOPEN = "reopen"
    CHANGE_DEADLINE = "change_deadline"
    #: control of execution (app/control/): the executor asks for more time, the head
    #: extends the deadline (the author is told) or refuses, suspends and resumes the clock
    REQUEST_EXTENSION = "request_extension"
    EXTEND = "extend"
    REFUSE_EXTENSION = "refuse_extension"
    SUSPEND = "suspend"
    RESUME = "resume"
    #: the legal deadline moved because a rule or the calendar changed (app/deadlines/)
    RECOMPUTE_DEADLINE = "recompute_deadline"

    @property
    def label(self):
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.RECEIVE: _l("Received from the portal"),
    Action.REGISTER: _l("Registered"),
    Action.REJECT: _l("Registration refused"),
    Action.ROUTE: _l("Passed to resolution"),
    Action.PASS_DOWN: _l("Passed down to a subordinate head"),
    Action.ASSIGN: _l("Resolution: passed to execution"),
    Action.REDIRECT: _l("Redirected by competence"),
    Action.LEAVE: _l("Left without consideration"),
    Action.SUBMIT: _l("Reply submitted for approval"),
    Action.APPROVE: _l("Reply approved"),
    Action.RETURN: _l("Reply returned for rework"),
    Action.REFUSE_SIGNATURE: _l("Signature refused, returned for rework"),
    Action.SIGN: _l("Reply signed and sent"),
    Action.REOPEN: _l("Reopened by an administrator"),
    Action.CHANGE_DEADLINE: _l("Deadline changed"),
    Action.REQUEST_EXTENSION: _l("Extension asked for by the executor"),
    Action.EXTEND: _l("Deadline extended by the head's decision"),
    Action.REFUSE_EXTENSION: _l("Extension refused"),
    Action.SUSPEND: _l("Consideration suspended"),
    Action.RESUME: _l("Consideration resumed"),
    Action.RECOMPUTE_DEADLINE: _l("Legal deadline recomputed"),
}


@dataclass(frozen=True)
class Step:
    target: DocumentState
    #: the status marks this step sends to the portal, in order
    marks: tuple[MarkKind, ...] = ()


S = DocumentState

#: (from, action) -> step. ``None`` as the source is a document that does not exist yet.
TRANSITIONS: dict[tuple[DocumentState | None, Action], Step] = {
    (None, Action.RECEIVE): Step(S.RECEIVED, (MarkKind.DELIVERED,)),
    # the queued intake: the worker's batch verified what the HTTP answer only stored
    (S.PENDING, Action.RECEIVE): Step(S.RECEIVED, (MarkKind.DELIVERED,)),
    (S.RECEIVED, Action.REGISTER): Step(S.REGISTERED, (MarkKind.REGISTERED,)),
    (S.RECEIVED, Action.REJECT): Step(S.REJECTED, (MarkKind.REFUSED,)),
    (S.REGISTERED, Action.ROUTE): Step(S.ON_RESOLUTION, (MarkKind.PASSED_TO_RESOLUTION,)),
    # a head hands the document to a subordinate head: still on resolution, nothing new for
    # the citizen
    (S.ON_RESOLUTION, Action.PASS_DOWN): Step(S.ON_RESOLUTION),
    (S.ON_RESOLUTION, Action.ASSIGN): Step(S.IN_EXECUTION, (MarkKind.PASSED_TO_EXECUTION,)),
    (S.ON_RESOLUTION, Action.REDIRECT): Step(S.REDIRECTED, (MarkKind.REDIRECTED,)),
    (S.ON_RESOLUTION, Action.LEAVE): Step(
        S.LEFT_WITHOUT_CONSIDERATION, (MarkKind.LEFT_WITHOUT_CONSIDERATION,)),
    (S.IN_EXECUTION, Action.SUBMIT): Step(S.ON_APPROVAL),
    (S.ON_APPROVAL, Action.APPROVE): Step(S.ON_SIGNATURE),
    # the head moves the deadline while the reply is being written (a later date only with
    # its reason); the state stays, the portal hears nothing new
    (S.IN_EXECUTION, Action.CHANGE_DEADLINE): Step(S.IN_EXECUTION),
    (S.ON_APPROVAL, Action.RETURN): Step(S.IN_EXECUTION),
    (S.ON_SIGNATURE, Action.REFUSE_SIGNATURE): Step(S.IN_EXECUTION),
    # the LETTER mark follows when the portal has received the letter (app/marks/receipt.py)
    (S.ON_SIGNATURE, Action.SIGN): Step(S.ANSWERED, (MarkKind.EXECUTED,)),
    # an administrator's reopening sends the document back to its head; the portal hears
    # that it is being considered again
    (S.ANSWERED, Action.REOPEN): Step(S.ON_RESOLUTION, (MarkKind.PASSED_TO_RESOLUTION,)),
    (S.REDIRECTED, Action.REOPEN): Step(S.ON_RESOLUTION, (MarkKind.PASSED_TO_RESOLUTION,)),
    (S.LEFT_WITHOUT_CONSIDERATION, Action.REOPEN): Step(
        S.ON_RESOLUTION, (MarkKind.PASSED_TO_RESOLUTION,)),
}

#: control of execution (app/control/): while the answer is owed the head may extend the
#: deadline (the author gets an "extended" mark), refuse the executor's request for more
#: time, suspend and resume the clock; the executor asks while he writes. The state stays.
_CONTROL_STEPS = {
    Action.EXTEND: (MarkKind.EXTENDED,),
    Action.REFUSE_EXTENSION: (),
    Action.SUSPEND: (),
    Action.RESUME: (),
}
TRANSITIONS.update({(state, action): Step(state, marks)
                    for state in (S.IN_EXECUTION, S.ON_APPROVAL, S.ON_SIGNATURE)
                    for action, marks in _CONTROL_STEPS.items()})
TRANSITIONS[(S.IN_EXECUTION, Action.REQUEST_EXTENSION)] = Step(S.IN_EXECUTION)
# the legal deadline of an open document follows the rules and the calendar: when an
# administrator changes them, it is recomputed in place (the state stays, nothing is sent)
TRANSITIONS.update({
    (state, Action.RECOMPUTE_DEADLINE): Step(state)
    for state in (S.REGISTERED, S.ON_RESOLUTION, S.IN_EXECUTION, S.ON_APPROVAL,
                  S.ON_SIGNATURE)
})
del S


def allowed_actions(state: DocumentState | None) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source == state]


def check_allowed(document: Document, action: Action) -> Step:
    """The step ``action`` takes from the document's state; InvalidTransition if none."""
    source = document.state
    step = TRANSITIONS.get((source, action))
    if step is None:
        raise InvalidTransition(
            _l("This action is not possible in the document's current status."),
            state=source.value if source else None,
            action=action.value,
        )
    return step
