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
)


def create_schema() -> None:
    db.create_all()


def seed_journals() -> int:
    created = 0
    for code, name, pattern, kinds in DEFAULT_JOURNALS:
        if db.session.scalar(select(Journal).where(Journal.code == code)) is None:
            db.session.add(Journal(code=code, name=name, pattern=pattern, kinds=kinds))
            created += 1
    db.session.flush()
    return created
