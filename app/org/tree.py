"""The department tree, read once per process and kept while it is unchanged.

Every desk page asks which departments a head answers for (his own and all below them),
and every document page whether the reader's departments hold the document. The tree
changes a few times a year; several app processes on several machines share one database.
So each process keeps the tree with the stamp it was read under, and a page reads only the
stamp (one row by its key) to know whether its copy still holds.

The stamp is written by the database itself: triggers on ``departments`` replace it in the
transaction that changes a department (a deletion or a truncation removes it), whoever
writes it (the admin pages, ``qujat org``, the demo, a restore, psql). Another process sees
the new stamp as soon as that transaction commits, and no earlier; the process that made
the change sees it at once. The stamp is random, not a counter: a counter rolled back (or
a sequence set back, as the tests do after each test) hands out a value again, and a
process that kept the tree of the rolled-back change under it would keep that tree.
Without a stamp row (after a deletion, until the next change), nothing is kept.

Chosen over a short time-to-live: a TTL is either long (a head moved to another department
keeps seeing the old one's documents on other machines meanwhile: a leak of personal data)
or short (most pages read the tree anyway), and the changing process's own invalidation
does not reach the other machines. One read of a one-row table by its key costs what
reading the tree of a few departments costs, and stays that as the tree grows to hundreds.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from sqlalchemy import DDL, Engine, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import Model, db
from app.org.models import Department


class DepartmentTreeStamp(Model):
    """One row (id 1): the stamp of the departments' latest change."""

    __tablename__ = "department_tree_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: random, replaced by the triggers on ``departments`` at every change
    stamp: Mapped[str] = mapped_column(String(40))


@dataclass(frozen=True)
class Tree:
    """The departments as parent links and heads; subtrees computed on demand, kept."""

    parents: dict[int, int | None]
    heads: dict[int, int | None]
    _below: dict[int, frozenset[int]] = field(default_factory=dict, compare=False)

    def subtree(self, department_id: int) -> frozenset[int]:
        """The department and every one below it."""
        known = self._below.get(department_id)
        if known is not None:
            return known
        children: dict[int | None, list[int]] = {}
        for child, parent in self.parents.items():
            children.setdefault(parent, []).append(child)
        found, todo = {department_id}, [department_id]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        known = frozenset(found)
        self._below[department_id] = known  # a race computes the same set twice
        return known

    def controlled_by(self, user_id: int) -> frozenset[int]:
        """Every department the user heads, and all below them."""
        found: set[int] = set()
        for department, head in self.heads.items():
            if head == user_id and department not in found:
                found |= self.subtree(department)
        return frozenset(found)


_lock = threading.Lock()
#: per engine (one per database an app of this process talks to): (stamp, tree)
_kept: weakref.WeakKeyDictionary[Engine, tuple[str, Tree]] = weakref.WeakKeyDictionary()


def current_stamp() -> str | None:
    return db.session.scalar(select(DepartmentTreeStamp.stamp)
                             .where(DepartmentTreeStamp.id == 1))


#: the tree a session's transaction has already looked up (session.info): a page asking
#: for every row (may this head schedule this inspection?) reads the stamp once
_IN_TRANSACTION = "qujat_department_tree"


def department_tree() -> Tree:
    """The tree as the database holds it now: this process's copy while the stamp is the
    one it was read under, else read again; within one transaction, looked up once (until
    it flushes a change to a department)."""
    session = db.session()
    held = session.info.get(_IN_TRANSACTION)
    if held is not None:
        return held
    tree = _current_tree()
    session.info[_IN_TRANSACTION] = tree
    return tree


@event.listens_for(Session, "after_flush")
def _forget_when_departments_change(session: Session, _context) -> None:
    if any(isinstance(row, Department)
           for row in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(_IN_TRANSACTION, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session: Session, _transaction) -> None:
    session.info.pop(_IN_TRANSACTION, None)


def _current_tree() -> Tree:
    engine = db.engine
    # the stamp first, then the tree: a change committed between the two makes the copy
    # newer than its stamp, and the next page reads it again (the other order could keep
    # an old tree under a new stamp)
    stamp = current_stamp()
    kept = _kept.get(engine)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    rows = db.session.execute(select(Department.id, Department.parent_id,
                                     Department.head_id)).all()
    tree = Tree(parents={d: p for d, p, _h in rows}, heads={d: h for d, _p, h in rows})
    if stamp is not None:
        with _lock:
            _kept[engine] = (stamp, tree)
    return tree


# --- the triggers --------------------------------------------------------------------------
# A department added or changed writes a new stamp; one deleted (or the table truncated)
# removes the stamp, which stops every process keeping the tree until the next change
# writes one (deleting a department is rare, and so the tests' emptying of every table
# leaves none, as their seed has none).
# PostgreSQL: once per statement (an insert of many departments writes one stamp);
# gen_random_uuid() is built in since PostgreSQL 13.
POSTGRESQL_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION departments_stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO department_tree_stamp (id, stamp) VALUES (1, gen_random_uuid()::text)
            ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
        ELSE
            DELETE FROM department_tree_stamp;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE TRIGGER departments_stamp AFTER INSERT OR UPDATE OR DELETE
    ON departments FOR EACH STATEMENT EXECUTE FUNCTION departments_stamp()""",
    """CREATE OR REPLACE TRIGGER departments_stamp_truncate AFTER TRUNCATE
    ON departments FOR EACH STATEMENT EXECUTE FUNCTION departments_stamp()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS departments_stamp ON departments",
    "DROP TRIGGER IF EXISTS departments_stamp_truncate ON departments",
    "DROP FUNCTION IF EXISTS departments_stamp()",
]
# SQLite: per row (it has no statement triggers); 16 random bytes
_SQLITE_STAMP = ("INSERT OR REPLACE INTO department_tree_stamp (id, stamp) "
                 "VALUES (1, lower(hex(randomblob(16))))")
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS departments_stamp_insert AFTER INSERT
    ON departments BEGIN {_SQLITE_STAMP}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS departments_stamp_update AFTER UPDATE
    ON departments BEGIN {_SQLITE_STAMP}; END""",
    """CREATE TRIGGER IF NOT EXISTS departments_stamp_delete AFTER DELETE
    ON departments BEGIN DELETE FROM department_tree_stamp; END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS departments_stamp_{event_}"
               for event_ in ("insert", "update", "delete")]

# create_all (the tests, the benches) builds them as the migration does
for _sql in POSTGRESQL_TRIGGERS:
    event.listen(Model.metadata, "after_create",
                 DDL(_sql.replace("%", "%%")).execute_if(dialect="postgresql"))
for _sql in SQLITE_TRIGGERS:
    event.listen(Model.metadata, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
