"""The Alembic migrations: on an empty database they build exactly the models' schema, and
an upgrade from an older revision keeps every row. Run on SQLite and on PostgreSQL (there
in a schema of its own, dropped afterwards), each on a database no other test uses."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, make_url, select, text

from app import create_app
from app.extensions import MIGRATIONS_DIR, db
from app.search.models import include_object
from app.setup import (
    BASELINE_REVISION,
    DEFAULT_JOURNALS,
    current_revision,
    seed_journals,
    upgrade_schema,
)
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
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object})
        return compare_metadata(context, db.metadata)


def _every_row(like: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Every row of every table, as text (JSON columns hold lists), in a stable order: the
    tables and columns the database has now, or (``like``) those it had then."""
    present = inspect(db.engine)
    tables = set(present.get_table_names())
    out = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name not in tables or (like is not None and table.name not in like):
                continue
            names = {c["name"] for c in present.get_columns(table.name)}
            if like is not None:
                names &= set(like[f"{table.name}.columns"])
            columns = [c for c in table.columns if c.name in names]
            out[f"{table.name}.columns"] = sorted(names)
            out[table.name] = sorted(repr(tuple(row))
                                     for row in connection.execute(select(*columns)))
    return out


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
#: h13c_desk_counts_indexes: the desks' partial indexes (one holds suspended_since, so
#: they go first), the counts per state and their triggers
H13C_INDEXES = ("ix_documents_todo", "ix_documents_resolving", "ix_documents_open_department",
                "ix_documents_open_due", "ix_documents_open_received",
                "ix_documents_open_number", "ix_documents_approving", "ix_documents_executing",
                "ix_documents_signing")


def _undo_h13c(connection) -> None:
    from app.documents.counts import POSTGRESQL_DROP, SQLITE_DROP

    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        connection.execute(text(statement))
    for index in H13C_INDEXES:
        connection.execute(text(f"DROP INDEX {index}"))
    connection.execute(text("DROP TABLE document_state_counts"))


def _undo_h13g(connection) -> None:
    """h13g_desk_tree_kind: the tree's stamp, the triggers that write it, the kind and
    the sender's id indexes."""
    from app.org.tree import POSTGRESQL_DROP, SQLITE_DROP

    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        connection.execute(text(statement))
    connection.execute(text("DROP TABLE department_tree_stamp"))
    connection.execute(text("DROP INDEX ix_documents_open_kind"))
    connection.execute(text("DROP INDEX ix_documents_sender_document_id"))


def test_a_database_made_before_migrations_is_stamped_and_upgraded(fresh_app):
    """The tables as ``qujat init-db`` made them before (``create_all``, no
    alembic_version), less what came after the baseline."""
    with fresh_app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_marks_undelivered_letters"))  # h13j
            # h13i_sender_client_certificate
            connection.execute(text("DROP INDEX ix_senders_client_cert_sha256"))
            for column in ("client_cert_sha256", "client_cert_subject",
                           "client_cert_not_after"):
                connection.execute(text(f"ALTER TABLE senders DROP COLUMN {column}"))
            _undo_h13g(connection)
            # h11d_standard_instruction_chosen, first: its columns hold a foreign key to a
            # table dropped below (h11b); SQLite drops them only by copying the table
            # (Alembic's batch mode)
            operations = Operations(MigrationContext.configure(connection))
            with operations.batch_alter_table("resolutions") as batch:
                batch.drop_constraint("resolutions_standard_instruction_id_fkey",
                                      type_="foreignkey")
                batch.drop_index("ix_resolutions_standard_instruction_id")
                batch.drop_column("standard_instruction_text")
                batch.drop_column("standard_instruction_id")
            _undo_h13c(connection)
            connection.execute(text("DROP INDEX ix_login_sessions_started_at"))  # 0002
            connection.execute(text("DROP TABLE control_decisions"))  # h14b
            connection.execute(text("ALTER TABLE documents DROP COLUMN suspended_since"))
            for undo in ("DROP TABLE calendar_days", "DROP TABLE deadline_rules",  # h14a
                         "ALTER TABLE documents DROP COLUMN deadline_rule_code",
                         "ALTER TABLE documents DROP COLUMN due_date_by_hand"):
                connection.execute(text(undo))
            # h14c_notifications
            connection.execute(text("DROP TABLE notifications"))
            connection.execute(text("DROP TABLE job_runs"))
            connection.execute(text("ALTER TABLE users DROP COLUMN email_notifications"))
            connection.execute(text("ALTER TABLE users DROP COLUMN email"))
            connection.execute(text("DROP INDEX ix_documents_registered_at"))  # h14d
            connection.execute(text("DROP TABLE status_lookups"))  # h14d
            connection.execute(text("DROP TABLE blobs"))  # h13a_blobs_in_database
            for table in ("number_allocations", "permit_versions", "permit_entries"):  # h10a
                connection.execute(text(f"DROP TABLE {table}"))
            connection.execute(text("ALTER TABLE letters DROP COLUMN issued_number"))  # h10a
            connection.execute(text("DROP TABLE repeat_links"))  # h11a
            connection.execute(text("DROP TABLE document_search"))  # h11a
            for table in ("standard_instructions", "state_bodies"):  # h11b
                connection.execute(text(f"DROP TABLE {table}"))
            connection.execute(text("ALTER TABLE users DROP COLUMN phone"))  # h11b
            for statement in H10C_AFTER_BASELINE:
                connection.execute(text(statement))
        seed_journals()
        db.session.commit()
        with db.engine.begin() as connection:  # h11c_names_per_language
            connection.execute(text("ALTER TABLE journals DROP COLUMN pattern_kk"))
            connection.execute(text("ALTER TABLE users DROP COLUMN position_kk"))
        with db.engine.begin() as connection:  # h11e_names_in_three_languages
            for table, column in (("departments", "name_kk"), ("departments", "name_en"),
                                  ("senders", "name_kk"), ("senders", "name_en"),
                                  ("documents", "last_mark")):
                connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        before = _every_row()
        assert upgrade_schema() == _head()
        assert _differences() == []
        assert _every_row(like=before) == before


def test_an_upgrade_from_the_baseline_keeps_every_row(fresh_app):
    from app.auth.models import LoginSession

    with fresh_app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS_DIR, revision=BASELINE_REVISION)
        assert current_revision() == BASELINE_REVISION
        # the journals as the baseline's table holds them (the model has pattern_kk since)
        for n, (code, name, pattern, kinds) in enumerate(DEFAULT_JOURNALS, start=1):
            db.session.execute(text(
                "INSERT INTO journals (id, code, name, pattern, kinds, active) "
                "VALUES (:id, :code, :name, :pattern, :kinds, :yes)"),
                {"id": n, "code": code, "name": name, "pattern": pattern,
                 "kinds": json.dumps(kinds), "yes": True})
        # a user as the baseline's table holds one (the model has columns added since)
        db.session.execute(text(
            "INSERT INTO users (id, login, full_name, position, password_hash, active, "
            "created_at) VALUES (1, 'clerk', 'Clerk', '', 'pbkdf2:sha256:1$x$y', :yes, :at)"),
            {"yes": True, "at": datetime(2026, 1, 2, tzinfo=UTC)})
        db.session.execute(text("INSERT INTO user_roles (id, user_id, role) "
                                "VALUES (1, 1, 'clerk'), (2, 1, 'admin')"))
        # a sender as the baseline's table holds one (the model has its names since)
        db.session.execute(text(
            "INSERT INTO senders (id, code, name, token_sha256, active) "
            "VALUES (1, 'EGOV', 'eGov', :sha, :yes)"),
            {"sha": hashlib.sha256(b"egov-token").hexdigest(), "yes": True})
        db.session.add(LoginSession(user_id=1, token_sha256="0" * 64,
                                    started_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                                    address="10.0.0.1"))
        db.session.commit()
        before = _every_row()
        assert before["users"] and before["journals"] and before["login_sessions"]

        assert upgrade_schema() == _head() != BASELINE_REVISION
        assert _differences() == []
        assert _every_row(like=before) == before
        # and the data reads back through the models as it was written
        session = db.session.scalars(select(LoginSession)).one()
        assert session.started_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
