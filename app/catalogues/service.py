"""Reading and keeping the standard instructions and the directory of state bodies.

Plain functions: the administrator comes in as an argument, they flush, never commit, and
every change is chained into the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.catalogues.defaults import INSTRUCTIONS, STATE_BODIES
from app.catalogues.models import StandardInstruction, StateBody
from app.errors import Refused
from app.extensions import db
from app.formats.identifiers import is_valid_bin


def seed_catalogues() -> tuple[int, int]:
    """Add the shipped instructions and starter state bodies the database lacks (by code);
    safe to run twice, and one an administrator switched off stays off; one seeded before
    the lists had English gets its English, unless its Russian was changed. Returns how
    many instructions and bodies were added."""
    have = {i.code: i for i in db.session.scalars(select(StandardInstruction))}
    added_instructions = 0
    for position, (code, ru, kk, en) in enumerate(INSTRUCTIONS, start=1):
        if code not in have:
            db.session.add(StandardInstruction(code=code, text_ru=ru, text_kk=kk, text_en=en,
                                               position=position * 10, active=True))
            added_instructions += 1
        elif have[code].text_ru == ru and not have[code].text_en:  # seeded before English
            have[code].text_en = en
    bodies = {b.code: b for b in db.session.scalars(select(StateBody))}
    added_bodies = 0
    for code, ru, kk, en in STATE_BODIES:
        if code not in bodies:
            db.session.add(StateBody(code=code, name_ru=ru, name_kk=kk, name_en=en,
                                     active=True))
            added_bodies += 1
        elif bodies[code].name_ru == ru and not bodies[code].name_en:
            bodies[code].name_en = en
    db.session.flush()
    return added_instructions, added_bodies


def standard_instructions(*, active_only: bool = True) -> list[StandardInstruction]:
    query = select(StandardInstruction).order_by(StandardInstruction.position,
                                                 StandardInstruction.id)
    if active_only:
        query = query.where(StandardInstruction.active)
    return list(db.session.scalars(query))


def state_bodies(*, active_only: bool = True, besides: str | None = None) -> list[StateBody]:
    """The directory by Russian name; ``besides``: leave out the body with this code (our
    own: a document is not redirected to the body that holds it)."""
    query = select(StateBody).order_by(StateBody.name_ru, StateBody.id)
    if active_only:
        query = query.where(StateBody.active)
    if besides:
        query = query.where(StateBody.code != besides)
    return list(db.session.scalars(query))


def state_body_by_code(code: str) -> StateBody | None:
    return db.session.scalar(select(StateBody).where(StateBody.code == code))


@dataclass(frozen=True)
class ChosenInstruction:
    """What a resolution records of its instruction: ``text``, what it says (the head's
    words, or the standard one's text), and the standard instruction he chose from the
    list, if any, with its text as the list says it now (``standard_text``) in his
    language: the list may be edited later, the resolution keeps what was chosen."""

    text: str
    standard: StandardInstruction | None = None
    standard_text: str | None = None


def chosen_instruction(instruction_id: int | None, typed: str, *,
                       language: str) -> ChosenInstruction:
    """The instruction a resolution records: what the head typed, or else the text of
    the standard instruction chosen, in the head's language; and which one he chose.
    One switched off or gone since the page was shown is refused, not silently dropped."""
    if not instruction_id:
        return ChosenInstruction(typed)
    item = db.session.get(StandardInstruction, instruction_id)
    if item is None or not item.active:
        raise Refused(_l("This standard instruction is not offered any more; choose "
                         "another."), code="instruction_unknown")
    said = item.text_in(language)
    return ChosenInstruction(typed if typed.strip() else said, item, said)


def redirect_target(body_id: int | None, *, typed_code: str, typed_name: str,
                    language: str) -> tuple[str, str]:
    """The code and name a redirection records and its status mark carries: those of the
    body chosen from the directory (its name in the document's language), or, for a body
    not in it, what the head typed."""
    if body_id:
        body = db.session.get(StateBody, body_id)
        if body is None or not body.active:
            raise Refused(_l("This state body is not in the directory any more; choose "
                             "another."), code="state_body_unknown")
        return body.code, body.name_in(language)
    return typed_code, typed_name


def save_instruction(*, code: str, text_ru: str, text_kk: str, position: int, active: bool,
                     by: User, text_en: str = "") -> StandardInstruction:
    """Add a standard instruction or change the one with this code (no English: English
    readers see the Russian)."""
    code, text_ru, text_kk = code.strip(), text_ru.strip(), text_kk.strip()
    text_en = (text_en or "").strip()
    if not code or not text_ru or not text_kk:
        raise Refused(_l("A standard instruction needs a code and its text in Russian and "
                         "in Kazakh."), code="instruction_incomplete")
    item = db.session.scalar(select(StandardInstruction).where(
        StandardInstruction.code == code))
    if item is None:
        item = StandardInstruction(code=code)
        db.session.add(item)
    item.text_ru, item.text_kk, item.text_en = text_ru, text_kk, text_en
    item.position, item.active = position, active
    db.session.flush()
    record(AuditKind.CATALOGUE_SAVED, actor_id=by.id, target=f"instruction {code}",
           details={"list": "standard_instructions", "code": code, "text_ru": text_ru,
                    "text_kk": text_kk, "text_en": text_en, "position": position,
                    "active": active})
    return item


def save_state_body(*, code: str, name_ru: str, name_kk: str, bin: str | None, active: bool,
                    by: User, name_en: str = "") -> StateBody:
    """Add a state body to the directory or change the one with this code (no English:
    English readers see the Russian)."""
    code, name_ru, name_kk = code.strip(), name_ru.strip(), name_kk.strip()
    name_en = (name_en or "").strip()
    bin = (bin or "").strip() or None
    if not code or not name_ru or not name_kk:
        raise Refused(_l("A state body needs a code and its name in Russian and in Kazakh."),
                      code="state_body_incomplete")
    if bin is not None and not is_valid_bin(bin):
        raise Refused(_l("“%(bin)s” is not a valid BIN (12 digits with a check digit).",
                         bin=bin), code="state_body_bin_invalid", bin=bin)
    body = state_body_by_code(code)
    if body is None:
        body = StateBody(code=code)
        db.session.add(body)
    body.name_ru, body.name_kk, body.name_en = name_ru, name_kk, name_en
    body.bin, body.active = bin, active
    db.session.flush()
    record(AuditKind.CATALOGUE_SAVED, actor_id=by.id, target=f"state body {code}",
           details={"list": "state_bodies", "code": code, "name_ru": name_ru,
                    "name_kk": name_kk, "name_en": name_en, "bin": bin, "active": active})
    return body
