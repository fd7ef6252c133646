"""The indexes behind the desks: each over the documents still open in the states one desk
lists, so a desk reads a few thousand index entries at a million documents, not the
million (and an intake touches only the one whose states hold a new document).

Each query that should use one says the index's condition in the same words
(``in_states``), so both databases see that the index covers it.
"""

from __future__ import annotations

from sqlalchemy import Index, literal_column, text

from app.documents.states import CONTROLLED_STATES, DocumentState

#: what waits for the clerk: a decision, or (registered, no route matched) a department
TODO_STATES = frozenset({DocumentState.RECEIVED, DocumentState.REGISTERED})
#: what a head watches in his departments: waiting for a resolution, or on control
OPEN_AT_HEADS = CONTROLLED_STATES | {DocumentState.ON_RESOLUTION}


def state_list(states) -> str:
    """``'a', 'b'`` in a stable order: the same SQL in every process."""
    return ", ".join(f"'{s.value}'" for s in sorted(states))


def _partial(name: str, *columns: str, states, include: tuple[str, ...] = ()) -> Index:
    where = text(f"state IN ({state_list(states)})")
    return Index(name, *columns, postgresql_where=where, sqlite_where=where,
                 postgresql_include=list(include))


def desk_indexes() -> list[Index]:
    return [
        # the clerk's to-do list, newest first, and the poll's "arrived since"
        _partial("ix_documents_todo", "received_at", "id", states=TODO_STATES),
        # "waiting for resolution": the head's own, oldest first
        _partial("ix_documents_resolving", "resolver_id", "received_at",
                 states={DocumentState.ON_RESOLUTION}),
        # "on control", "due soon", "overdue": a head's departments, by deadline; counted
        # from the index alone
        _partial("ix_documents_open_department", "department_id", "due_date", "id",
                 states=OPEN_AT_HEADS, include=("state", "resolver_id", "suspended_since")),
        # the same in deadline order across departments: the top head's lists
        _partial("ix_documents_open_due", "due_date", "id", states=OPEN_AT_HEADS,
                 include=("department_id", "state", "resolver_id", "suspended_since")),
        # the heads' lists filtered by kind, by deadline (and their count, from the index
        # alone: without it a kind's count read the 100,000 documents of that kind)
        _partial("ix_documents_open_kind", "kind", "due_date", "id", states=OPEN_AT_HEADS,
                 include=("department_id", "state", "resolver_id", "suspended_since")),
        # the heads' lists sorted by arrival or by number
        _partial("ix_documents_open_received", "received_at", "id", states=OPEN_AT_HEADS),
        _partial("ix_documents_open_number", "registration_number", "id",
                 states=OPEN_AT_HEADS),
        # "replies to approve", "my documents", "to sign", by deadline
        _partial("ix_documents_approving", "approver_id", "due_date", "id",
                 states={DocumentState.ON_APPROVAL}),
        _partial("ix_documents_executing", "executor_id", "due_date", "id",
                 states=CONTROLLED_STATES),
        _partial("ix_documents_signing", "signer_id", "due_date", "id",
                 states={DocumentState.ON_SIGNATURE}),
    ]


def in_states(column, states):
    """``column IN ('a', 'b')`` with the states written into the SQL, as the indexes'
    conditions are: a database proves an index covers a query only from literals (a bound
    parameter, or PostgreSQL's generic plan of a prepared statement, hides them)."""
    return column.in_([literal_column(f"'{s.value}'") for s in sorted(states)])
