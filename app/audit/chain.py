"""The one hash chain: appending an entry, sealing readings into it, and the canonical form.

Canonical form of entry number ``seq`` of table ``T`` (version 1)::

    SHA-256( UTF-8( JSON {"v": 1, "table": T, "seq": seq, "prev": P, "fields": F} ) )

* ``P`` is the ``hash`` of entry ``seq - 1``, or 64 zeros (``GENESIS``) for entry 1;
* ``F`` holds the table's ``__chain_fields__`` (column name: value), every one of them,
  null included;
* JSON: keys sorted at every depth, separators ``,`` and ``:`` with no whitespace,
  non-ASCII characters written as themselves (UTF-8, not ``\\u`` escapes), NaN and
  infinities refused;
* values: null, true/false, integers and strings as they are; an enumeration as its stored
  value (``"receive"``); a moment as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six
  digits of microseconds); a date as ``YYYY-MM-DD``; a JSON column (``facts``,
  ``details``) as the JSON value the database gives back (objects with string keys, arrays);
* the hash is written as 64 lower-case hex digits.

The row's ``id`` is not hashed: ``seq`` is the entry's identity, and the document history
is ordered by it. ``T`` is hashed, so an entry cannot be moved to another table.

Appending locks the one row of ``audit_chain_head`` (an ``UPDATE`` of it, which holds the
row until the transaction ends on PostgreSQL and takes SQLite's write lock), so appends
from concurrent transactions take turns and the chain never forks. The entry is written in
the caller's transaction: if that rolls back, so does the entry and the head's move.

Readings of personal data are cheaper: ``note_reading`` inserts the entry with no link
(``seq`` NULL), one INSERT and no lock, and ``seal_pending`` links the waiting readings
into the chain in the order of their ids. Every append seals what waits first, and the
worker seals every ``QUJAT_AUDIT_SEAL_SECONDS`` and before it signs a checkpoint.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.audit.models import GENESIS, AuditEntry, Chained, ChainHead
from app.extensions import Model, db

VERSION = 1
#: readings an append seals before its own entry; the worker's job seals the rest
APPEND_SEAL_LIMIT = 500


def canonical(table: str, seq: int, prev: str, fields: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash is taken over (the module's docstring defines them)."""
    document = {"v": VERSION, "table": table, "seq": seq, "prev": prev,
                "fields": {name: _plain(value) for name, value in fields.items()}}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def entry_hash(table: str, seq: int, prev: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(table, seq, prev, fields)).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        # what a JSON column gives back: tuples become arrays, keys become strings
        return json.loads(json.dumps(value, allow_nan=False))
    raise TypeError(f"cannot chain a {type(value).__name__}")


def utc_text(moment: datetime) -> str:
    """A moment as the canonical form writes it: UTC, microseconds, ``Z``."""
    if moment.tzinfo is None:
        raise ValueError("a chained moment must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chained_tables() -> dict[str, type[Chained]]:
    """Every table whose rows are entries of the chain, by name."""
    found = {table_of(mapper.class_).name: mapper.class_ for mapper in Model.registry.mappers
             if issubclass(mapper.class_, Chained)}
    return dict(sorted(found.items()))


def table_of(cls: type) -> Table:
    return cast(Table, cls.__table__)  # type: ignore[attr-defined]


def fields_of(entry: Chained) -> dict[str, Any]:
    """The chained fields of an entry about to be appended; every one must be set now
    (a column default applied at INSERT would not be in the hash)."""
    table = table_of(type(entry))
    fields = {name: getattr(entry, name) for name in entry.__chain_fields__}
    unset = [name for name, value in fields.items()
             if value is None and not table.c[name].nullable]
    if unset:
        raise ValueError(f"{table.name}: set {', '.join(unset)} before the entry is chained")
    return fields


def append(entry: Chained) -> None:
    """Make ``entry`` the next entry of the chain and add it to the session.

    Runs in the caller's transaction and holds the chain's head until it ends; call it as
    late in the transaction as the work allows. Rows the entry names (its document, its
    actor) are flushed first, so their ids are known.
    """
    db.session.flush()
    seq, prev, waiting = _lock_head_asking_waiting()
    if waiting:
        seq, prev, _ = _seal(seq, prev, limit=APPEND_SEAL_LIMIT)
    seq += 1
    table = table_of(type(entry))
    entry.seq, entry.prev_hash = seq, prev
    entry.hash = entry_hash(table.name, seq, prev, fields_of(entry))
    db.session.add(entry)
    _move_head(seq, entry.hash)


def append_many(entries: list[Chained]) -> None:
    """``append`` for several entries, in their order: one flush, the head locked and
    moved once, the rows inserted with one executemany per table (a worker's batch of
    documents received together). The entries stay out of the session: no one reads
    them back, and the unit of work would cost more than the hashing."""
    if not entries:
        return
    db.session.flush()
    seq, prev, waiting = _lock_head_asking_waiting()
    if waiting:
        seq, prev, _ = _seal(seq, prev, limit=APPEND_SEAL_LIMIT)
    rows: dict[Table, list[dict[str, Any]]] = {}
    for entry in entries:
        seq += 1
        table = table_of(type(entry))
        fields = fields_of(entry)
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = entry_hash(table.name, seq, prev, fields)
        rows.setdefault(table, []).append(
            {**fields, "seq": seq, "prev_hash": prev, "hash": entry.hash})
        prev = entry.hash
    for table, values in rows.items():
        db.session.execute(insert(table), values)
    _move_head(seq, prev)


def seal_pending(limit: int | None = None) -> int:
    """Link the readings waiting (``seq`` NULL) into the chain; how many were sealed.
    In the caller's transaction, holding the head like an append."""
    db.session.flush()
    seq, prev = lock_head()
    seq, prev, sealed = _seal(seq, prev, limit=limit)
    if sealed:
        _move_head(seq, prev)
    return sealed


def head() -> tuple[int, str]:
    """The chain's head as last committed (no lock): entries so far and the last hash."""
    row = db.session.execute(select(ChainHead.seq, ChainHead.hash)
                             .where(ChainHead.id == 1)).one_or_none()
    return (row.seq, row.hash) if row is not None else (0, GENESIS)


def lock_head() -> tuple[int, str]:
    """Lock the chain's head row until the transaction ends; its seq and hash.

    A no-op UPDATE rather than SELECT ... FOR UPDATE: the same statement locks the row on
    PostgreSQL (a second writer waits, then reads the committed head) and begins SQLite's
    write transaction, so no other writer can come in between reading and moving it.
    """
    table = table_of(ChainHead)
    lock = (update(table).where(table.c.id == 1).values(seq=table.c.seq)
            .returning(table.c.seq, table.c.hash))
    row = db.session.execute(lock).one_or_none()
    if row is None:
        _create_head()
        row = db.session.execute(lock).one()
    return row.seq, row.hash


def _lock_head_asking_waiting() -> tuple[int, str, bool]:
    """``lock_head``, and in the same statement whether readings wait to be sealed (so
    that an append with none waiting costs no query for them). On PostgreSQL the answer
    is as of the statement's start: a reading committed while this one waited for the
    lock is sealed by the next append or the worker's job."""
    table, readings = table_of(ChainHead), table_of(AuditEntry)
    waiting = select(readings.c.id).where(readings.c.seq.is_(None)).limit(1).exists()
    lock = (update(table).where(table.c.id == 1).values(seq=table.c.seq)
            .returning(table.c.seq, table.c.hash, waiting.label("waiting")))
    row = db.session.execute(lock).one_or_none()
    if row is None:
        _create_head()
        row = db.session.execute(lock).one()
    return row.seq, row.hash, bool(row.waiting)


def _create_head() -> None:
    """The head row, at the chain's last entry (none on a fresh database). Two writers
    may both try: one insert wins, the other does nothing and then waits for its lock."""
    seq, last = 0, GENESIS
    for cls in chained_tables().values():
        table = table_of(cls)
        top = db.session.execute(select(table.c.seq, table.c.hash)
                                 .where(table.c.seq == select(func.max(table.c.seq))
                                        .scalar_subquery())).one_or_none()
        if top is not None and top.seq > seq:
            seq, last = top.seq, top.hash
    table = table_of(ChainHead)
    create: Executable
    if db.session.get_bind().dialect.name == "postgresql":
        create = (postgresql.insert(table).values(id=1, seq=seq, hash=last)
                  .on_conflict_do_nothing(index_elements=["id"]))
    else:
        create = (sqlite.insert(table).values(id=1, seq=seq, hash=last)
                  .on_conflict_do_nothing(index_elements=["id"]))
    db.session.execute(create)


def _move_head(seq: int, last: str) -> None:
    table = table_of(ChainHead)
    db.session.execute(update(table).where(table.c.id == 1).values(seq=seq, hash=last))


def _seal(seq: int, prev: str, *, limit: int | None) -> tuple[int, str, int]:
    """Link the waiting readings after entry ``seq`` (hash ``prev``); the head lock must be
    held. Returns the new head and how many were sealed."""
    table = table_of(AuditEntry)
    query = select(table).where(table.c.seq.is_(None)).order_by(table.c.id)
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    links = []
    for row in rows:
        seq += 1
        fields = {name: row._mapping[name] for name in AuditEntry.__chain_fields__}
        digest = entry_hash(table.name, seq, prev, fields)
        links.append({"row_id": row.id, "new_seq": seq, "new_prev": prev, "new_hash": digest})
        prev = digest
    if links:
        db.session.execute(
            update(table).where(table.c.id == bindparam("row_id"), table.c.seq.is_(None))
            .values(seq=bindparam("new_seq"), prev_hash=bindparam("new_prev"),
                    hash=bindparam("new_hash")),
            links)
    return seq, prev, len(links)
