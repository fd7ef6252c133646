"""Creating users, checking credentials, and the login sessions they open; every change an
administrator makes to an account is chained into the audit log in the same transaction
(``by`` None: the command line or the system)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, or_, select, update

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import LoginSession, Role, SessionEnd, User, UserRole
from app.errors import Refused
from app.extensions import db

#: the shortest password accepted
MIN_PASSWORD_LENGTH = 8


def _by(user: User | None) -> int | None:
    return user.id if user is not None else None


def create_user(*, login: str, full_name: str, password: str, roles: list[Role],
                by: User | None = None) -> User:
    if db.session.scalar(select(User).where(User.login == login)):
        raise Refused(_l("A user with the login “%(login)s” already exists.", login=login),
                      code="login_taken", login=login)
    _check_password(password)
    user = User(login=login, full_name=full_name)
    user.set_password(password, method=_hash_method())
    user.roles = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.flush()
    record(AuditKind.USER_CREATED, actor_id=_by(by), target=f"user {login}",
           details={"user_id": user.id, "login": login, "full_name": full_name,
                    "roles": sorted(role.value for role in roles)})
    return user


def authenticate(login: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        # hash anyway so a wrong login takes as long as a wrong password
        User(login="", full_name="").set_password(password, method=_hash_method())
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def set_roles(user: User, roles: list[Role], *, by: User) -> None:
    """Give ``user`` exactly ``roles``; an administrator never takes away their own."""
    if not roles:
        raise Refused(_l("A user needs at least one role."), code="roles_empty")
    if user.id == by.id and Role.ADMIN not in roles:
        raise Refused(_l("You cannot take the administrator role away from yourself."),
                      code="own_admin_role")
    held = {r.role: r for r in user.roles}
    if set(held) == set(roles):
        return
    user.roles = [held.get(role) or UserRole(role=role) for role in roles]
    record(AuditKind.ROLES_CHANGED, actor_id=by.id, target=f"user {user.login}",
           details={"user_id": user.id, "before": sorted(r.value for r in held),
                    "after": sorted({r.value for r in roles})})


def set_active(user: User, active: bool, *, by: User, now: datetime) -> None:
    """Lock a user out (or let them back in); their history stays theirs. A lockout ends
    every session they have open, so letting them back in revives none."""
    if user.id == by.id and not active:
        raise Refused(_l("You cannot lock yourself out."), code="own_lockout")
    if user.active == active:
        return
    if not active:
        end_sessions(user, now=now, why=SessionEnd.LOCKED_OUT)
    user.active = active
    record(AuditKind.USER_UNLOCKED if active else AuditKind.USER_LOCKED, actor_id=by.id,
           target=f"user {user.login}", details={"user_id": user.id})


def reset_password(user: User, password: str, *, now: datetime, by: User | None = None,
                   keep_session: str | None = None) -> None:
    """A new password; every session opened with the old one ends, except ``keep_session``
    (the token of the session that changed it, when a user changes their own)."""
    _check_password(password)
    user.set_password(password, method=_hash_method())
    end_sessions(user, now=now, keep=keep_session,
                 why=SessionEnd.PASSWORD_CHANGED if keep_session else SessionEnd.PASSWORD_RESET)
    record(AuditKind.PASSWORD_RESET, actor_id=_by(by), target=f"user {user.login}",
           details={"user_id": user.id})


#: local@domain, one @, no spaces: what a mail server will take (no more is checked here)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def set_email(user: User, email: str | None, *, by: User,
              notifications: bool | None = None) -> None:
    """The address notifications are e-mailed to (empty: none) and, when given, whether
    the user wants them e-mailed at all. A change of address is chained into the audit
    log; the on/off choice is the user's own and is not."""
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        raise Refused(_l("“%(email)s” is not an e-mail address.", email=email),
                      code="email_invalid", email=email)
    if notifications is not None:
        user.email_notifications = notifications
    if email == user.email:
        return
    before, user.email = user.email, email
    record(AuditKind.EMAIL_CHANGED, actor_id=by.id, target=f"user {user.login}",
           details={"user_id": user.id, "before": before or "", "after": email or ""})


def set_phone(user: User, phone: str | None) -> None:
    """The office phone printed under the letters the user executes (empty: none)."""
    user.phone = (phone or "").strip() or None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(_l("A password needs at least %(min_length)s characters.",
                         min_length=MIN_PASSWORD_LENGTH),
                      code="password_too_short", min_length=MIN_PASSWORD_LENGTH)


def _hash_method() -> str:
    """How new passwords are hashed: scrypt, unless the configuration says otherwise."""
    return current_app.config["QUJAT_PASSWORD_HASH_METHOD"]


# --- login sessions ------------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, *, now: datetime, address: str = "") -> str:
    """A new session for ``user``; returns its token, for the (signed) session cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_sha256=_token_digest(token),
                                started_at=now, address=address[:64]))
    db.session.flush()
    return token


def session_user(user_id: int, token: str | None) -> User | None:
    """The user a session cookie names, if its session is still open and theirs and they
    may still log in; None otherwise (the cookie then opens nothing)."""
    if not token:
        return None
    row = db.session.scalar(select(LoginSession).where(
        LoginSession.token_sha256 == _token_digest(token)))
    if row is None or row.ended_at is not None or row.user_id != user_id:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def purge_sessions(*, now: datetime, retention: timedelta) -> int:
    """Delete the login sessions that ended more than ``retention`` ago, and those still
    open that started more than ``retention`` ago (a login left open that long is
    taken as abandoned: its cookie opens nothing once the row is gone). Returns how many
    went. The caller commits."""
    cutoff = now - retention
    result = db.session.execute(
        delete(LoginSession).where(or_(
            LoginSession.ended_at < cutoff,
            and_(LoginSession.ended_at.is_(None), LoginSession.started_at < cutoff)))
        .execution_options(synchronize_session=False))
    return result.rowcount  # type: ignore[attr-defined]


def end_session(token: str | None, *, now: datetime, why: SessionEnd = SessionEnd.LOGOUT) -> None:
    if token:
        db.session.execute(update(LoginSession).where(
            LoginSession.token_sha256 == _token_digest(token),
            LoginSession.ended_at.is_(None)).values(ended_at=now, ended_why=why.value))


def end_sessions(user: User, *, now: datetime, why: SessionEnd, keep: str | None = None) -> None:
    """End every open session of ``user`` but ``keep`` (a token)."""
    stmt = update(LoginSession).where(LoginSession.user_id == user.id,
                                      LoginSession.ended_at.is_(None))
    if keep:
        stmt = stmt.where(LoginSession.token_sha256 != _token_digest(keep))
    db.session.execute(stmt.values(ended_at=now, ended_why=why.value))
