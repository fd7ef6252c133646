"""The department tree is read once per process and kept while no department changes: a
change made by another process (another machine's app, psql) is seen by the next page
here, and a change rolled back is never kept."""

from __future__ import annotations

from sqlalchemy import Engine, event, select, text

from app import create_app
from app.extensions import db
from app.org.models import Department
from app.org.service import add_department, controlled_department_ids, subtree_ids
from tests.conftest import app_config
from tests.factories import Org, user


def _ids(*codes: str) -> set[int]:
    return set(db.session.scalars(select(Department.id).where(Department.code.in_(codes))))


class _Statements:
    """The SQL the engine runs while inside the block."""

    def __enter__(self):
        self.seen: list[str] = []
        event.listen(Engine, "before_cursor_execute", self._note)
        return self

    def _note(self, conn, cursor, statement, *args):
        self.seen.append(" ".join(statement.split()))

    def __exit__(self, *exc):
        event.remove(Engine, "before_cursor_execute", self._note)


def test_an_unchanged_tree_costs_one_read_of_its_stamp_per_transaction(db_session):
    org = Org()
    db.session.commit()
    both, roads, head = _ids("MGMT", "ROADS"), _ids("ROADS"), org.head
    assert controlled_department_ids(head) == both
    roads_id = org.roads.id
    db.session.commit()  # the next page: a new transaction

    with _Statements() as asked:
        assert controlled_department_ids(head) == both
        assert subtree_ids(roads_id) == roads
        for _row in range(50):  # may this head see each row of a page?
            controlled_department_ids(head)

    tree_reads = [s for s in asked.seen if "FROM departments" in s]
    stamp_reads = [s for s in asked.seen if "FROM department_tree_stamp" in s]
    assert tree_reads == [] and len(stamp_reads) == 1


def test_a_department_added_here_is_seen_at_once(db_session):
    org = Org()
    db.session.commit()
    assert subtree_ids(org.management.id) == _ids("MGMT", "ROADS")

    add_department(code="BRIDGES", name="Мосты", parent="ROADS")

    assert subtree_ids(org.management.id) == _ids("MGMT", "ROADS", "BRIDGES")
    assert controlled_department_ids(org.head) == _ids("MGMT", "ROADS", "BRIDGES")


def test_a_change_rolled_back_is_not_kept_even_when_another_follows(db_session):
    """A counter would hand the second change the first one's number (the first rolled
    back) and the tree read under it, with BRIDGES, would be kept: the stamp is random."""
    org = Org()
    db.session.commit()
    attempt = db.session.begin_nested()
    add_department(code="BRIDGES", name="Мосты", parent="ROADS")
    assert subtree_ids(org.management.id) == _ids("MGMT", "ROADS", "BRIDGES")
    attempt.rollback()

    assert subtree_ids(org.management.id) == _ids("MGMT", "ROADS")
    add_department(code="TUNNELS", name="Тоннели", parent="ROADS")
    assert subtree_ids(org.management.id) == _ids("MGMT", "ROADS", "TUNNELS")


def test_a_change_made_by_another_app_process_reaches_this_one(committed_db, pki,
                                                               database_url, tmp_path):
    """Two app instances on one database, as two gunicorn processes on two machines: each
    keeps its own tree; what the other one commits is seen here by the next page."""
    here = committed_db
    there = create_app(app_config(pki, database_url, tmp_path / "there"))
    try:
        with here.app_context():
            org = Org()
            db.session.commit()
            head, roads_id = org.head, org.roads.id
            assert controlled_department_ids(head) == _ids("MGMT", "ROADS")

        # the administrator adds a department below roads on the other machine
        with there.app_context():
            add_department(code="BRIDGES", name="Мосты", parent="ROADS")
            db.session.commit()
        with here.app_context():
            assert controlled_department_ids(head) == _ids("MGMT", "ROADS", "BRIDGES")

        # someone moves roads out of the management with psql: no app involved
        with there.app_context(), db.engine.begin() as connection:
            connection.execute(text("UPDATE departments SET parent_id = NULL "
                                    "WHERE code = 'ROADS'"))
        with here.app_context():
            assert controlled_department_ids(head) == _ids("MGMT")
            assert subtree_ids(roads_id) == _ids("ROADS", "BRIDGES")
    finally:
        with there.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_change_not_yet_committed_elsewhere_is_not_seen(committed_db, pki, database_url,
                                                          tmp_path):
    here = committed_db
    there = create_app(app_config(pki, database_url, tmp_path / "there"))
    try:
        with here.app_context():
            Org()
            db.session.commit()
        with there.app_context():
            add_department(code="BRIDGES", name="Мосты", parent="ROADS")
            db.session.flush()
            with here.app_context():
                # (SQLite: the other writer holds the lock, the reader sees the last commit)
                assert controlled_department_ids(user("head")) == _ids("MGMT", "ROADS")
                db.session.remove()
            db.session.commit()
        with here.app_context():
            assert controlled_department_ids(user("head")) == _ids("MGMT", "ROADS", "BRIDGES")
    finally:
        with there.app_context():
            db.session.remove()
            db.engine.dispose()
