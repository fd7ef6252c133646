"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.dbtypes import enum_type
from app.extensions import Model, db
from app.languages import in_language
from app.timeutil import utcnow

if TYPE_CHECKING:
    # the department tree is built on users (its heads), so it is mapped by name here
    from app.org.models import Department


class Role(enum.StrEnum):
    CLERK = "clerk"
    HEAD = "head"
    EXECUTOR = "executor"
    SIGNER = "signer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        from flask_babel import lazy_gettext as _l

        return {
            "clerk": _l("Document-service clerk"),
            "head": _l("Department head"),
            "executor": _l("Executor"),
            "signer": _l("Signing official"),
            "admin": _l("Administrator"),
        }[self.value]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: written under the signature of a letter, e.g. "Руководитель управления"
    position: Mapped[str] = mapped_column(String(200), default="")
    #: the same in Kazakh, under the signature of a letter in Kazakh; empty: ``position``
    position_kk: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: the official's IIN: a letter is signed only with a key issued to this IIN
    iin: Mapped[str | None] = mapped_column(String(12))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    #: werkzeug hash (scrypt unless QUJAT_PASSWORD_HASH_METHOD says otherwise); the
    #: password itself is never stored
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    #: where notifications are e-mailed (when SMTP is configured); None: not e-mailed
    email: Mapped[str | None] = mapped_column(String(254))
    #: the office phone printed under the letters this user executes
    phone: Mapped[str | None] = mapped_column(String(40))
    #: the user's own choice: False keeps notifications on the desk only
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def position_in(self, language: str) -> str:
        """The position as a letter in ``language`` ("ru", "kk") writes it."""
        return in_language(language, ru=self.position, kk=self.position_kk)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login
        return self.active

    def set_password(self, password: str, *, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        held = {r.role for r in self.roles}
        return Role.ADMIN in held or any(role in held for role in roles)

    @property
    def role_set(self) -> set[Role]:
        return {r.role for r in self.roles}


class UserRole(Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_type(Role, 16))
    user: Mapped[User] = relationship(back_populates="roles")


class LoginSession(Model):
    """One login, from the password to the logout: the session cookie carries a random
    token and this row says whether it still opens anything. Logging out ends the row (on
    the server: a copy of the cookie is dead too); a password change ends the user's other
    rows, an administrator's reset or lockout all of them."""

    __tablename__ = "login_sessions"
    # the purge of sessions long ended or abandoned reads them by age (migration 0002)
    __table_args__ = (Index("ix_login_sessions_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token in the cookie: a copy of the database opens no session
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime]
    #: the client's address at login, for the administrator's eyes
    address: Mapped[str] = mapped_column(String(64), default="")
    ended_at: Mapped[datetime | None]
    #: why it ended: SessionEnd
    ended_why: Mapped[str | None] = mapped_column(String(24))


class SessionEnd(enum.StrEnum):
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    LOCKED_OUT = "locked_out"


class LoginFailure(Model):
    """A login attempt that did not succeed (or has not yet: an attempt is written before
    its password is checked, so parallel guesses count against each other). Kept one hour;
    app/auth/throttle.py reads how long the next attempt has to wait."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_login", "login_key", "at"),
        Index("ix_login_failures_address", "address", "at"),
        Index("ix_login_failures_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    #: the login as typed, folded (whether or not anyone has it: nothing tells them apart)
    login_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    #: False once the account logged in or an administrator cleared it: the failure still
    #: counts against its address
    counts_for_login: Mapped[bool] = mapped_column(default=True)
    #: False once an administrator cleared the address
    counts_for_address: Mapped[bool] = mapped_column(default=True)
