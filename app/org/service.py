"""The department tree and routing: plain functions over the org tables."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role, User
from app.errors import Refused
from app.extensions import db
from app.intake.models import Document
from app.org.models import Department, Route


def subtree_ids(department_id: int) -> set[int]:
    """The department and every department below it."""
    parents = dict(db.session.execute(select(Department.id, Department.parent_id)).all())
    found = {department_id}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


def departments_headed_by(user: User) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.head_id == user.id)))


def controlled_department_ids(user: User) -> set[int]:
    """Every department a head answers for: the ones they head and all below them."""
    ids: set[int] = set()
    for department in departments_headed_by(user):
        ids |= subtree_ids(department.id)
    return ids


def route_for(document: Document) -> Department | None:
    """The department of the first route whose every condition matches the document."""
    activity = _activity_text(document).casefold()
    recipient = (document.recipient_name or "").casefold()
    routes = db.session.scalars(select(Route).order_by(Route.position, Route.id))
    for route in routes:
        if route.kind and route.kind != document.kind:
            continue
        if route.activity and route.activity.casefold() not in activity:
            continue
        if route.recipient and route.recipient.casefold() not in recipient:
            continue
        return route.department
    return None


def _activity_text(document: Document) -> str:
    """The licence or activity kind the applicant chose, wherever the format keeps it."""
    details = (document.content or {}).get("details") or {}
    coded = [details.get("activity") or {}, *(details.get("subactivities") or [])]
    return " ".join(f"{c.get('code', '')} {c.get('name', '')}" for c in coded
                    if isinstance(c, dict))


def executors_in(department_ids: set[int]) -> list[User]:
    """Users who may be named executor by a head of these departments."""
    users = db.session.scalars(
        select(User).where(User.department_id.in_(department_ids), User.active)
        .order_by(User.full_name)
    )
    return [u for u in users if Role.EXECUTOR in u.role_set or Role.HEAD in u.role_set]


def signers() -> list[User]:
    users = db.session.scalars(select(User).where(User.active).order_by(User.full_name))
    return [u for u in users if Role.SIGNER in u.role_set]


def require_head_of(department: Department) -> User:
    if department.head is None:
        raise Refused(f"The department '{department.name}' has no head to write a resolution")
    return department.head
