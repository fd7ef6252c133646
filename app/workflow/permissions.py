"""Who may do what, in one place: "may this user do this act on this document now?"

The same answer serves the service (which refuses), the document page (which offers the
form) and the template (which shows the button), so the three cannot drift. "Now" is the
state: a step is possible only where the transition table of ``app.documents.states``
has it; the tasks that are not steps (editing the reply, contributing to it) name their
states here.

Who sees what is here too (``can_see``, ``can_see_reply``): acting presupposes seeing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, or_, select, true, union

from app.auth.models import Role, User
from app.documents.models import Document
from app.documents.states import TRANSITIONS, Action, DocumentState, check_allowed
from app.errors import InvalidTransition, PermissionDenied
from app.org.service import controlled_department_ids
from app.workflow.parties import Part, documents_of, takes_part


class Task(enum.StrEnum):
    """What people do to a document that does not move it along the table."""

    #: write the reply's text, outcome and grounds; remove a reply file
    EDIT_REPLY = "edit_reply"
    #: add a part or a file to the reply
    CONTRIBUTE = "contribute"
    #: link an appeal to an earlier one it repeats (app/repeats)
    LINK_REPEAT = "link_repeat"
    #: send an inspector to the object of an inspection request, on a day (seed 003)
    SCHEDULE_INSPECTION = "schedule_inspection"
    #: push again a status mark of the document whose delivery was given up
    RETRY_MARK = "retry_mark"


Act = Action | Task

#: the states in which a task is possible (steps read theirs from the transition table)
_TASK_STATES: dict[Task, frozenset[DocumentState]] = {
    Task.EDIT_REPLY: frozenset({DocumentState.IN_EXECUTION}),
    Task.CONTRIBUTE: frozenset({DocumentState.IN_EXECUTION}),
    # while the document waits for registration or a resolution: before anyone answers it
    Task.LINK_REPEAT: frozenset({DocumentState.RECEIVED, DocumentState.REGISTERED,
                                 DocumentState.ON_RESOLUTION}),
    # registered and not yet answered: the inspection queue (app/inspections)
    Task.SCHEDULE_INSPECTION: frozenset({
        DocumentState.REGISTERED, DocumentState.ON_RESOLUTION, DocumentState.IN_EXECUTION,
        DocumentState.ON_APPROVAL, DocumentState.ON_SIGNATURE}),
    # a mark is owed to the portal whatever the document has become since
    Task.RETRY_MARK: frozenset(DocumentState),
}


def _holds(user: User, role: Role) -> bool:
    """The role itself, not an administrator's every-role pass."""
    return role in user.role_set


def _admin(user: User) -> bool:
    return _holds(user, Role.ADMIN)


def _clerk(user: User, document: Document) -> bool:
    return _holds(user, Role.CLERK) or _admin(user)


def _resolver(user: User, document: Document) -> bool:
    """The head the document waits for, or an administrator. A head above sees a document
    he passed down (``can_see``) but no longer resolves it: one document, one resolver,
    never assigned twice."""
    return _admin(user) or _holds(user, Role.HEAD) and document.resolver_id == user.id


def _controller(user: User, document: Document) -> bool:
    """Who keeps the deadline of a document in execution: the head who assigned it, a
    head above, an administrator."""
    return _admin(user) or document.approver_id == user.id or _holds(user, Role.HEAD) and (
        document.department_id in controlled_department_ids(user))


def _executor(user: User, document: Document) -> bool:
    # never an administrator on someone's behalf: the reply is the executor's own
    return document.executor_id == user.id


def _team(user: User, document: Document) -> bool:
    return _executor(user, document) or takes_part(document, user.id, Part.COEXECUTOR)


def _approver(user: User, document: Document) -> bool:
    return document.approver_id == user.id or _admin(user)


def _signer(user: User, document: Document) -> bool:
    # a signature is personal: only the official named at approval, never an admin for her
    return document.signer_id == user.id and _holds(user, Role.SIGNER)


def _administrator(user: User, document: Document) -> bool:
    return _admin(user)


def _clerk_or_resolver(user: User, document: Document) -> bool:
    return _clerk(user, document) or _resolver(user, document)


def _nobody(user: User, document: Document) -> bool:
    return False


def _scheduler(user: User, document: Document) -> bool:
    """A clerk, or a head who sees the document (his department or one below), plans
    its inspection; an administrator too."""
    return _clerk(user, document) or _holds(user, Role.HEAD) and can_see(user, document)


_Rule = tuple[Callable[[User, Document], bool], Any, str]

# (who may, what the others are told, the refusal's code for them); acts that share a rule
# share its words
_CLERK_DECIDES: _Rule = (_clerk, _l("Only a document-service clerk registers or refuses "
                                    "documents."), "clerk_only")
_RESOLVES: _Rule = (_resolver, _l("Only the head this document waits for writes its "
                                  "resolution."), "not_the_resolving_head")
_EXECUTES: _Rule = (_executor, _l("Only the responsible executor edits and submits the "
                                  "reply."), "not_the_executor")
_APPROVES: _Rule = (_approver, _l("Only the head who assigned the document approves its "
                                  "reply."), "not_the_approving_head")
_SIGNS: _Rule = (_signer, _l("Only the official named at approval signs this reply."),
                 "not_the_named_signer")
#: the deadline of a document in execution: moving, extending, suspending it (app/control/)
_CONTROLS: _Rule = (_controller, _l("Only the head who assigned the document moves its "
                                    "deadline."), "not_the_controlling_head")

RULES: dict[Act, _Rule] = {
    # only the portal delivers; intake records it
    Action.RECEIVE: (_nobody, _l("Documents arrive from the portals only."), "portal_only"),
    Action.REGISTER: _CLERK_DECIDES,
    Action.REJECT: _CLERK_DECIDES,
    Action.ROUTE: (_clerk, _l("Only a document-service clerk sends documents to "
                              "resolution."), "clerk_only"),
    Action.PASS_DOWN: _RESOLVES,
    Action.ASSIGN: _RESOLVES,
    Action.REDIRECT: _RESOLVES,
    Action.LEAVE: _RESOLVES,
    Action.CHANGE_DEADLINE: _CONTROLS,
    Action.EXTEND: _CONTROLS,
    Action.REFUSE_EXTENSION: _CONTROLS,
    Action.SUSPEND: _CONTROLS,
    Action.RESUME: _CONTROLS,
    Action.REQUEST_EXTENSION: (_executor, _l("Only the responsible executor asks for more "
                                             "time."), "not_the_executor"),
    Action.SUBMIT: _EXECUTES,
    Task.EDIT_REPLY: _EXECUTES,
    Task.CONTRIBUTE: (_team, _l("Only the executor and co-executors contribute to the "
                                "reply."), "not_in_the_reply_team"),
    Action.APPROVE: _APPROVES,
    Action.RETURN: _APPROVES,
    Action.SIGN: _SIGNS,
    Action.REFUSE_SIGNATURE: _SIGNS,
    Task.LINK_REPEAT: (_clerk_or_resolver, _l("Only a document-service clerk or the head the "
                                              "document waits for links it as a repeat."),
                       "not_clerk_or_resolver"),
    Task.SCHEDULE_INSPECTION: (_scheduler, _l("Only a document-service clerk or a head "
                                              "schedules inspections."), "not_a_scheduler"),
    Task.RETRY_MARK: (_administrator, _l("Only an administrator pushes a status mark again "
                                         "after its delivery was given up."), "admin_only"),
    Action.REOPEN: (_administrator, _l("Only an administrator reopens a closed document."),
                    "admin_only"),
    # follows an administrator's change of the deadline rules or the calendar
    Action.RECOMPUTE_DEADLINE: (_administrator, _l("Only an administrator's change of the "
                                                   "deadline rules or the calendar "
                                                   "recomputes a legal deadline."),
                                "admin_only"),
}


def possible_now(act: Act, state: DocumentState) -> bool:
    """Whether the act exists at all in this state, whoever asks."""
    if isinstance(act, Task):
        return state in _TASK_STATES[act]
    return (state, act) in TRANSITIONS


def may(user: User, act: Act, document: Document) -> bool:
    """May ``user`` do ``act`` on ``document`` now? The page offers exactly these."""
    if not user.is_authenticated or not possible_now(act, document.state):
        return False
    allowed, _message, _code = RULES[act]
    return allowed(user, document)


def require(user: User, act: Act, document: Document) -> None:
    """Refuse with the reason when ``may`` says no: InvalidTransition when the state does
    not allow the act, PermissionDenied when the person may not."""
    if isinstance(act, Action):
        check_allowed(document, act)
    elif not possible_now(act, document.state):
        raise InvalidTransition(_l("This action is not possible in the document's current "
                                   "status."), state=document.state.value, action=act.value)
    allowed, message, code = RULES[act]
    if not allowed(user, document):
        raise PermissionDenied(message, code=code, action=act.value)


def can_open_reply(user: User, document: Document) -> bool:
    """The reply's workspace: the team works there; an administrator may look in."""
    return _team(user, document) or _admin(user)


# --- seeing ------------------------------------------------------------------------------


def can_see(user: User, document: Document) -> bool:
    """The document's card, signature check and path.

    - administrators and document-service clerks: every document (the clerks keep the
      registry of everything incoming);
    - everyone else: what ``can_see_reply`` lets them see.
    """
    roles = user.role_set
    if Role.ADMIN in roles or Role.CLERK in roles:
        return True
    return can_see_reply(user, document)


def can_see_reply(user: User, document: Document) -> bool:
    """The inside of the execution: drafts, co-executors' parts, reply files.

    - heads: documents of the departments they head and every department below, and what
      they resolved or must approve;
    - executors: what they execute or co-execute under the resolution in force;
    - signing officials: what waits for their signature and what they signed.
    """
    roles = user.role_set
    if Role.ADMIN in roles:
        return True
    if Role.HEAD in roles and (
        user.id in (document.resolver_id, document.approver_id)
        or document.department_id in controlled_department_ids(user)
        or takes_part(document, user.id, Part.RESOLUTION_AUTHOR)
    ):
        return True
    # co-executors named by the resolution in force: a reassignment after a reopening
    # takes the reply away from whoever it no longer names
    if document.executor_id == user.id or takes_part(document, user.id, Part.COEXECUTOR):
        return True
    return Role.SIGNER in roles and (
        document.signer_id == user.id or takes_part(document, user.id, Part.SIGNATORY)
    )


# --- reports -----------------------------------------------------------------------------


def report_scope(user: User, *, journal: bool = False) -> set[int] | None:
    """The departments whose documents a user's reports count: ``None`` for every document
    (administrators; document-service clerks for the journal of registration, which they
    keep), the subtree they head for heads. Anyone else is refused."""
    roles = user.role_set
    if Role.ADMIN in roles or journal and Role.CLERK in roles:
        return None
    if Role.HEAD in roles:
        return controlled_department_ids(user)
    raise PermissionDenied(_l("Reports are for heads and administrators."),
                           code="reports_for_heads")


def can_see_register(user: User) -> bool:
    """The register of permits and notifications: public on the portals (seed 001 step 5),
    so every member of staff searches it; the application behind an entry stays behind
    ``can_see``."""
    return bool(user.is_authenticated and user.role_set)


def visible_to(user: User) -> ColumnElement[bool]:
    """``can_see`` as a condition on ``Document``, for lists and search: the query returns
    only what the user may open, never a page filtered after the fact. It must say exactly
    what ``can_see`` says (tests/search/test_search.py compares them for every role).

    One indexed lookup per reason to see, joined by id: an OR of columns and subqueries
    makes both databases walk every document."""
    roles = user.role_set
    if Role.ADMIN in roles or Role.CLERK in roles:
        return true()
    uid = user.id

    def where(condition: ColumnElement[bool]) -> Select:
        return select(Document.id).where(condition)

    reasons: list[Select] = [where(Document.executor_id == uid),
                             documents_of(uid, Part.COEXECUTOR)]
    if Role.HEAD in roles:
        reasons += [where(Document.resolver_id == uid), where(Document.approver_id == uid),
                    where(Document.department_id.in_(controlled_department_ids(user) or {-1})),
                    documents_of(uid, Part.RESOLUTION_AUTHOR)]
    if Role.SIGNER in roles:
        reasons += [where(Document.signer_id == uid), documents_of(uid, Part.SIGNATORY)]
    return Document.id.in_(union(*reasons))


def visible_among(user: User) -> ColumnElement[bool]:
    """``visible_to`` for a query an indexed condition already narrows to a few thousand
    documents (the inspection queue): the same reasons as an OR tested row by row, each
    party an indexed probe (``Document.id IN`` the user's parties), where ``visible_to``
    would first collect every document the user may see (for a top head at a million
    documents, nearly all of them: 3 s)."""
    roles = user.role_set
    if Role.ADMIN in roles or Role.CLERK in roles:
        return true()
    uid = user.id
    reasons: list[ColumnElement[bool]] = [
        Document.executor_id == uid, Document.id.in_(documents_of(uid, Part.COEXECUTOR))]
    if Role.HEAD in roles:
        reasons += [Document.resolver_id == uid, Document.approver_id == uid,
                    Document.department_id.in_(controlled_department_ids(user) or {-1}),
                    Document.id.in_(documents_of(uid, Part.RESOLUTION_AUTHOR))]
    if Role.SIGNER in roles:
        reasons += [Document.signer_id == uid,
                    Document.id.in_(documents_of(uid, Part.SIGNATORY))]
    return or_(*reasons)
