"""New rows' ids taken ahead of their INSERT, for a batch on PostgreSQL.

A batch of new objects whose ids the database assigns goes out as INSERT ... RETURNING of
many rows in one statement, which psycopg parses anew on every call (the statement is too
long for its cache) and which the ORM must match back to the objects; a mark's signed XML,
which names the mark's id, then needs a second statement per row. With the ids drawn from
the table's own sequence first (one query for the whole batch), the rows go out as a plain
executemany, complete. SQLite has no sequences; its ids still come with the INSERT.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text

from app.extensions import db

_DRAW = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
             "FROM generate_series(1, :count)")


def draw_ids(table: str, count: int) -> list[int] | None:
    """``count`` new ids of ``table`` (its key column is ``id``); None where the database
    gives them only at the INSERT (SQLite)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    if not count:
        return []
    with db.session.no_autoflush:
        return list(db.session.scalars(_DRAW, {"table": table, "count": count}).all())


def assign_ids(objects: Sequence[object]) -> bool:
    """Give ``objects`` (new, of one mapped class whose key is ``id``) their ids; False,
    and nothing done, where the database gives them only at the INSERT (SQLite)."""
    if not objects:
        return True
    ids = draw_ids(type(objects[0]).__table__.name, len(objects))  # type: ignore[attr-defined]
    if ids is None:
        return False
    for item, new_id in zip(objects, ids, strict=True):
        item.id = new_id  # type: ignore[attr-defined]
    return True
