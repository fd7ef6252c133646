"""The Alembic migrations: on an empty database they build exactly the models' schema, and
an upgrade from an older revision keeps every row. Run on SQLite and on PostgreSQL (there
in a schema of its own, dropped afterwards), each on a database no other test uses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, make_url, select, text

from app import create_app
from app.extensions import MIGRATIONS_DIR, db
from app.setup import BASELINE_REVISION, current_revision, seed_journals, upgrade_schema
from tests.conftest import app_config


@pytest.fixture
def empty_url(database_url, tmp_path):
    """The URL of an empty database of the same kind as the suite's."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    schema = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        # every connection of the app sees only that schema
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def fresh_app(pki, empty_url, tmp_path):
    app = create_app(app_config(pki, empty_url, tmp_path / "blobs"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _head() -> str:
    return ScriptDirectory(MIGRATIONS_DIR).get_current_head() or ""


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _every_row(only: dict[str, set[str]] | None = None) -> dict[str, list[str]]:
    """Every row of every table, as text (JSON columns hold lists), in a stable order; with
    ``only``, of those tables and columns alone (what a database had before an upgrade)."""
    with db.engine.connect() as connection:
        return {table.name: sorted(
                    repr(tuple(row)) for row in connection.execute(select(*(
                        c for c in table.columns if only is None or c.name in only[table.name])))
                ) for table in db.metadata.sorted_tables if only is None or table.name in only}


def _columns_in_database() -> dict[str, set[str]]:
    """The tables and columns the database has now, of those the models know."""
    with db.engine.connect() as connection:
        present = inspect(connection)
        return {table.name: {c["name"] for c in present.get_columns(table.name)}
                for table in db.metadata.sorted_tables if present.has_table(table.name)}


def test_the_migrations_build_exactly_the_models_schema(fresh_app):
    with fresh_app.app_context():
        assert upgrade_schema() == _head()
        assert _differences() == []


def test_upgrade_schema_twice_changes_nothing(fresh_app):
    with fresh_app.app_context():
        upgrade_schema()
        assert upgrade_schema() == _head()


#: what h10c_intake_marks_inspections adds, taken away again
H10C_AFTER_BASELINE = (
    "ALTER TABLE routes DROP COLUMN district",
    "ALTER TABLE routes DROP COLUMN region",
    "ALTER TABLE marks DROP COLUMN letter_received_at",
    "DROP TABLE inspection_visits",
)


def test_a_database_made_before_migrations_is_stamped_and_upgraded(fresh_app):
    """The tables as ``qujat init-db`` made them before (``create_all``, no
    alembic_version), less what came after the baseline."""
    with fresh_app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_login_sessions_started_at"))  # 0002
            for statement in H10C_AFTER_BASELINE:
                connection.execute(text(statement))
        seed_journals()
        db.session.commit()
        columns = _columns_in_database()
        before = _every_row(columns)
        assert upgrade_schema() == _head()
        assert _differences() == []
        assert _every_row(columns) == before


def test_an_upgrade_from_the_baseline_keeps_every_row(fresh_app):
    from app.auth.models import LoginSession, Role
    from app.auth.service import create_user
    from app.documents.senders import add_sender

    with fresh_app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS_DIR, revision=BASELINE_REVISION)
        assert current_revision() == BASELINE_REVISION
        seed_journals()
        user = create_user(login="clerk", full_name="Clerk", password="correct-horse-42",
                           roles=[Role.CLERK, Role.ADMIN])
        add_sender(code="EGOV", name="eGov", token="egov-token")
        db.session.add(LoginSession(user_id=user.id, token_sha256="0" * 64,
                                    started_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                                    address="10.0.0.1"))
        db.session.commit()
        columns = _columns_in_database()
        before = _every_row(columns)
        assert before["users"] and before["journals"] and before["login_sessions"]

        assert upgrade_schema() == _head() != BASELINE_REVISION
        assert _differences() == []
        assert _every_row(columns) == before
        # and the data reads back through the models as it was written
        session = db.session.scalars(select(LoginSession)).one()
        assert session.started_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
