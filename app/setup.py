"""Creating the schema and the reference data a fresh installation needs."""

from __future__ import annotations

from sqlalchemy import select

import app.models  # noqa: F401  (registers every table)
from app.extensions import db
from app.journals.models import Journal

#: the journals a state body starts with; an administrator edits patterns later
DEFAULT_JOURNALS = (
    ("appeals-individual", "Обращения физических лиц", "ЖТ-{year}-{seq:06d}",
     ["appeal_individual"]),
    ("appeals-legal", "Обращения юридических лиц", "ЗТ-{year}-{seq:06d}", ["appeal_legal"]),
    ("licences", "Заявления на лицензии", "ЛЦ-{year}-{seq:06d}",
     ["licence_new", "licence_appendix", "licence_reissue", "licence_restore"]),
    ("permits", "Разрешения на нумерацию", "НР-{year}-{seq:06d}", ["numbering_permit"]),
    ("sanitary", "Санитарно-эпидемиологические уведомления", "СЭ-{year}-{seq:06d}",
     ["sanitary_notification", "inspection_request"]),
    # what we send and issue
    ("outgoing", "Исходящие письма", "ИСХ-{year}-{seq:06d}", ["outgoing_letter"]),
    ("issued-licences", "Реестр выданных лицензий", "KZ{year}LIC{seq:06d}", ["issued_licence"]),
    ("issued-permits", "Реестр выданных разрешений", "KZ{year}NR{seq:06d}", ["issued_permit"]),
    ("notification-talons", "Реестр уведомлений (талоны)", "ТАЛОН-{year}-{seq:06d}",
     ["notification_talon"]),
    ("sanitary-conclusions", "Санитарно-эпидемиологические заключения",
     "СЭЗ-{year}-{seq:06d}", ["sanitary_conclusion"]),
)


#: the first migration: the schema as it stood before there were migrations
BASELINE_REVISION = "0001_baseline"

#: any constant of our own: the PostgreSQL advisory lock that lets one process at a time
#: upgrade (``qujat serve`` and ``qujat worker`` may start together on deploy)
_UPGRADE_LOCK = 0x71756A6174  # "qujat"


def create_schema() -> None:
    """The tables straight from the models, without migrations: for tests and benches,
    which want speed and a throwaway database. A real database uses ``upgrade_schema``."""
    db.create_all()


def upgrade_schema() -> str | None:
    """Bring the database to the latest migration: create it on an empty database, stamp
    one made by ``create_all`` before there were migrations as the baseline and go on
    from there. Returns the revision reached."""
    from flask_migrate import stamp, upgrade
    from sqlalchemy import inspect, text

    from app.extensions import MIGRATIONS_DIR

    engine = db.engine
    with engine.connect() as lock:
        if engine.dialect.name == "postgresql":
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _UPGRADE_LOCK})
            lock.commit()
        try:
            names = set(inspect(engine).get_table_names())
            if "alembic_version" not in names and "users" in names:
                stamp(directory=MIGRATIONS_DIR, revision=BASELINE_REVISION)
            upgrade(directory=MIGRATIONS_DIR)
            return current_revision()
        finally:
            if engine.dialect.name == "postgresql":
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _UPGRADE_LOCK})
                lock.commit()


def current_revision() -> str | None:
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


#: the numbers written in Kazakh where the Russian prefix would read wrong
KAZAKH_PATTERNS = {"outgoing": "ШЫҒ-{year}-{seq:06d}"}


def seed_journals() -> int:
    created = 0
    for code, name, pattern, kinds in DEFAULT_JOURNALS:
        if db.session.scalar(select(Journal).where(Journal.code == code)) is None:
            db.session.add(Journal(code=code, name=name, pattern=pattern, kinds=kinds,
                                   pattern_kk=KAZAKH_PATTERNS.get(code)))
            created += 1
    db.session.flush()
    return created
