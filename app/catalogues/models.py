"""The standard resolution instructions and the directory of state bodies."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.languages import in_language


class StandardInstruction(Model):
    """One of the office's standard instructions ("Для сведения", …), offered in the
    head's resolution form; choosing one fills the instruction, which the head may still
    change. The text is kept in both languages of the office, and in English for English
readers."""

    __tablename__ = "standard_instructions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    text_ru: Mapped[str] = mapped_column(String(500))
    text_kk: Mapped[str] = mapped_column(String(500))
    #: for English readers; empty: the Russian text
    text_en: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: the order in the form's list, smallest first
    position: Mapped[int] = mapped_column(default=100)
    #: an instruction no longer offered stays for the record
    active: Mapped[bool] = mapped_column(default=True)

    def text_in(self, language: str) -> str:
        return in_language(language, ru=self.text_ru, kk=self.text_kk, en=self.text_en)


class StateBody(Model):
    """A state body a document may be redirected to by competence: the code the portals
    know it by and its names (a status mark names it by code and name)."""

    __tablename__ = "state_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_ru: Mapped[str] = mapped_column(String(500))
    name_kk: Mapped[str] = mapped_column(String(500))
    #: for English readers; empty: the Russian name
    name_en: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: the body's business identification number, when known
    bin: Mapped[str | None] = mapped_column(String(12))
    #: a body no longer offered for redirection stays for the record
    active: Mapped[bool] = mapped_column(default=True)

    def name_in(self, language: str) -> str:
        return in_language(language, ru=self.name_ru, kk=self.name_kk, en=self.name_en)
