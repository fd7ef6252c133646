"""Creating users and checking credentials."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, User, UserRole
from app.errors import Refused
from app.extensions import db

#: the shortest password accepted
MIN_PASSWORD_LENGTH = 8


def create_user(*, login: str, full_name: str, password: str, roles: list[Role]) -> User:
    if db.session.scalar(select(User).where(User.login == login)):
        raise Refused(_l("A user with the login “%(login)s” already exists.", login=login),
                      code="login_taken", login=login)
    _check_password(password)
    user = User(login=login, full_name=full_name)
    user.set_password(password, method=_hash_method())
    user.roles = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.flush()
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
    user.roles = [held.get(role) or UserRole(role=role) for role in roles]


def set_active(user: User, active: bool, *, by: User) -> None:
    """Lock a user out (or let them back in); their history stays theirs."""
    if user.id == by.id and not active:
        raise Refused(_l("You cannot lock yourself out."), code="own_lockout")
    user.active = active


def reset_password(user: User, password: str) -> None:
    _check_password(password)
    user.set_password(password, method=_hash_method())


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(_l("A password needs at least %(min_length)s characters.",
                         min_length=MIN_PASSWORD_LENGTH),
                      code="password_too_short", min_length=MIN_PASSWORD_LENGTH)


def _hash_method() -> str:
    """How new passwords are hashed: scrypt, unless the configuration says otherwise."""
    return current_app.config["QUJAT_PASSWORD_HASH_METHOD"]
