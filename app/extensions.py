"""Flask extensions, created unbound; ``create_app`` wires each with ``init_app``."""

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase, registry

from app.dbtypes import UTCDateTime

#: constraint names as PostgreSQL chooses them by default (so a database made before the
#: convention has the same ones), given on SQLite too: a migration can name what it drops
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "pk": "%(table_name)s_pkey",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "ck": "%(table_name)s_%(constraint_name)s_check",
}


class Base(DeclarativeBase):
    # every datetime column is an aware UTC one, on SQLite as on PostgreSQL
    registry = registry(type_annotation_map={datetime: UTCDateTime()},
                        metadata=MetaData(naming_convention=NAMING_CONVENTION))


db = SQLAlchemy(model_class=Base)

# Every table derives from Model: db.Model at run time (Base with Flask-SQLAlchemy's table
# naming and query property), Base for the type checker, which cannot see through db.Model.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate()

#: the Alembic scripts, shipped inside the package so an installed Qujat can upgrade itself
MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


#: how long a SQLite writer waits for another's commit before "database is locked"; every
#: transaction is short (no one holds one across a network call), so this is ample
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # readers never wait for the writer, nor the writer for readers
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits to a power cut,
        # and a document we acknowledged must not be lost
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def init_engine(engine: Engine) -> None:
    """Per-connection settings of the database: on SQLite, WAL and a busy timeout."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
