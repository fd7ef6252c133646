"""Creating users and checking credentials; every change an administrator makes to an
account is chained into the audit log in the same transaction (``by`` None: the command
line or the system)."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import Role, User, UserRole
from app.errors import Refused
from app.extensions import db


def _by(user: User | None) -> int | None:
    return user.id if user is not None else None


def create_user(*, login: str, full_name: str, password: str, roles: list[Role],
                by: User | None = None) -> User:
    if db.session.scalar(select(User).where(User.login == login)):
        raise Refused(f"A user with the login '{login}' already exists")
    if len(password) < 8:
        raise Refused("A password needs at least 8 characters")
    user = User(login=login, full_name=full_name)
    user.set_password(password)
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
        User(login="", full_name="").set_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def set_roles(user: User, roles: list[Role], *, by: User) -> None:
    """Give ``user`` exactly ``roles``; an administrator never takes away their own."""
    if not roles:
        raise Refused("A user needs at least one role")
    if user.id == by.id and Role.ADMIN not in roles:
        raise Refused("You cannot take the administrator role away from yourself")
    held = {r.role: r for r in user.roles}
    if set(held) == set(roles):
        return
    user.roles = [held.get(role) or UserRole(role=role) for role in roles]
    record(AuditKind.ROLES_CHANGED, actor_id=by.id, target=f"user {user.login}",
           details={"user_id": user.id, "before": sorted(r.value for r in held),
                    "after": sorted({r.value for r in roles})})


def set_active(user: User, active: bool, *, by: User) -> None:
    """Lock a user out (or let them back in); their history stays theirs."""
    if user.id == by.id and not active:
        raise Refused("You cannot lock yourself out")
    if user.active == active:
        return
    user.active = active
    record(AuditKind.USER_UNLOCKED if active else AuditKind.USER_LOCKED, actor_id=by.id,
           target=f"user {user.login}", details={"user_id": user.id})


def reset_password(user: User, password: str, *, by: User | None = None) -> None:
    if len(password) < 8:
        raise Refused("A password needs at least 8 characters")
    user.set_password(password)
    record(AuditKind.PASSWORD_RESET, actor_id=_by(by), target=f"user {user.login}",
           details={"user_id": user.id})
