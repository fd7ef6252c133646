"""Creating users and checking credentials."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role, User, UserRole
from app.errors import Refused
from app.extensions import db


def create_user(*, login: str, full_name: str, password: str, roles: list[Role]) -> User:
    if db.session.scalar(select(User).where(User.login == login)):
        raise Refused(f"A user with the login '{login}' already exists")
    if len(password) < 8:
        raise Refused("A password needs at least 8 characters")
    user = User(login=login, full_name=full_name)
    user.set_password(password)
    user.roles = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.flush()
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
