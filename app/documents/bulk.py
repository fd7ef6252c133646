"""Many documents' fields written at once: the queued intake's batch.

The unit of work writes a changed document with a statement of its own (it checks the
version of each row it updates, and psycopg cannot report that per row of an
executemany), which for a batch of hundreds is hundreds of round trips and most of the
worker's CPU. The batch's rows are held (``FOR UPDATE`` on PostgreSQL, SQLite's write
lock) from the moment they are read until the commit, so no one else can have changed
them: here each set of fields goes out as one executemany by primary key, the version is
moved on as a flush would move it (a page opened on a pending document is stale after),
and the objects in the session are left as if they had been loaded with these values.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from app.documents.models import Document
from app.extensions import db


def update_documents(changes: list[tuple[Document, dict[str, Any]]]) -> None:
    """Write ``changes`` (a document held by this transaction, its new field values) with
    one statement per set of field names."""
    groups: dict[tuple[str, ...], list[tuple[Document, dict[str, Any]]]] = {}
    for document, fields in changes:
        groups.setdefault(tuple(sorted(fields)), []).append((document, fields))
    for names, group in groups.items():
        db.session.execute(_statement(names), [{**fields, "id_": document.id}
                                               for document, fields in group])
    for document, fields in changes:
        for name, value in fields.items():
            set_committed_value(document, name, value)
        set_committed_value(document, "version", document.version + 1)


@functools.lru_cache(maxsize=64)
def _statement(names: tuple[str, ...]) -> Update:
    """Core, not the ORM's bulk UPDATE (which checks the version row by row); built once
    per set of fields."""
    table = cast(Table, Document.__table__)
    return (update(table).where(table.c.id == bindparam("id_"))
            .values({table.c[name]: bindparam(name) for name in names}
                    | {table.c.version: table.c.version + 1}))
