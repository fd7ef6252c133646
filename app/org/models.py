"""Departments (a tree, each with its head) and the routes that send documents to them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import Model
from app.languages import in_language


class Department(Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: in Russian, the office's working language (every page falls back to it)
    name: Mapped[str] = mapped_column(String(300))
    #: the same in Kazakh and in English; empty: ``name``
    name_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    name_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    #: the head who writes resolutions for documents routed here; users point back at
    #: departments, so this side of the cycle is added after both tables exist
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="fk_departments_head_id")
    )

    parent: Mapped[Department | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Department]] = relationship(back_populates="parent",
                                                      order_by="Department.name")
    head: Mapped[User | None] = relationship(foreign_keys=[head_id], post_update=True)

    def name_in(self, language: str) -> str:
        """The name a reader of ``language`` sees (Russian when that one is not written)."""
        return in_language(language, ru=self.name, kk=self.name_kk, en=self.name_en)


class Route(Model):
    """Which department a registered document goes to. Empty conditions match anything;
    the first route in ``position`` order whose conditions all match wins."""

    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=100)
    #: a document kind (appeal_individual, licence_new, …) or None for any
    kind: Mapped[str | None] = mapped_column(String(40))
    #: words that must occur in the licence or activity kind, case-insensitively
    activity: Mapped[str | None] = mapped_column(String(200))
    #: words that must occur in the recipient (subdivision) the author chose
    recipient: Mapped[str | None] = mapped_column(String(200))
    #: the region of the object (InfoKazakhstan's list, app/formats/regions.py), by code
    region: Mapped[str | None] = mapped_column(String(20))
    #: the district within it, by code
    district: Mapped[str | None] = mapped_column(String(20))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))

    department: Mapped[Department] = relationship(lazy="joined")
