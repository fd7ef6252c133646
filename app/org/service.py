"""The department tree and routing: plain functions over the org tables. What an
administrator changes is chained into the audit log in the same transaction (``by`` None:
the command line)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import Role, User
from app.errors import Refused
from app.extensions import db
from app.formats import regions
from app.org.models import Department, Route
from app.org.tree import department_tree


def subtree_ids(department_id: int) -> set[int]:
    """The department and every department below it (from the tree this process keeps
    while no department changes: app/org/tree.py)."""
    return set(department_tree().subtree(department_id))


def departments_headed_by(user: User) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.head_id == user.id)))


def controlled_department_ids(user: User) -> set[int]:
    """Every department a head answers for: the ones they head and all below them (the
    desks ask on every page; the tree is kept per process, app/org/tree.py)."""
    return set(department_tree().controlled_by(user.id))


def route_for(*, kind: str, recipient: str, activity: str, region: str | None = None,
              district: str | None = None) -> Department | None:
    """The department of the first route whose every condition matches: the document's
    kind, words of the recipient's name, words of the licence or activity chosen, the
    codes of the region and district the object is in."""
    activity = activity.casefold()
    recipient = recipient.casefold()
    routes = db.session.scalars(select(Route).order_by(Route.position, Route.id))
    for route in routes:
        if route.kind and route.kind != kind:
            continue
        if route.activity and route.activity.casefold() not in activity:
            continue
        if route.recipient and route.recipient.casefold() not in recipient:
            continue
        if route.region and route.region != region:
            continue
        if route.district and route.district != district:
            continue
        return route.department
    return None


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
        raise without_head(department)
    return department.head


def without_head(department: Department) -> Refused:
    """The refusal for a document sent to a department nobody heads."""
    return Refused(_l("The department “%(department)s” has no head to write the resolution.",
                      department=department.name),
                   code="department_without_head", department=department.name,
                   department_code=department.code)


def department_by_code(code: str) -> Department:
    department = db.session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise Refused(_l("There is no department with the code “%(department_code)s”.",
                         department_code=code),
                      code="department_not_found", department_code=code)
    return department


def _by(user: User | None) -> int | None:
    return user.id if user is not None else None


def add_department(*, code: str, name: str, parent: str | None = None,
                   head: User | None = None, by: User | None = None, name_kk: str = "",
                   name_en: str = "") -> Department:
    """A department under ``parent``, named in Russian (``name``) and, when given, in
    Kazakh and English (readers of those see the Russian name until they are written)."""
    if db.session.scalar(select(Department).where(Department.code == code)) is not None:
        raise Refused(_l("A department with the code “%(department_code)s” already exists.",
                         department_code=code),
                      code="department_code_taken", department_code=code)
    name, name_kk, name_en = _names(name, name_kk, name_en)
    department = Department(code=code, name=name, name_kk=name_kk, name_en=name_en,
                            parent=department_by_code(parent) if parent else None)
    db.session.add(department)
    db.session.flush()
    record(AuditKind.DEPARTMENT_ADDED, actor_id=_by(by), target=f"department {code}",
           details={"department_id": department.id, "code": code, "name": name,
                    "name_kk": name_kk, "name_en": name_en, "parent": parent})
    if head is not None:
        set_head(department, head, by=by)
    return department


def name_department(department: Department, *, name: str | None = None,
                    name_kk: str | None = None, name_en: str | None = None,
                    by: User | None = None) -> None:
    """Change a department's names; None leaves that one as it is, an empty Kazakh or
    English name shows the Russian one to its readers."""
    new = _names(department.name if name is None else name,
                 department.name_kk if name_kk is None else name_kk,
                 department.name_en if name_en is None else name_en)
    before = (department.name, department.name_kk, department.name_en)
    department.name, department.name_kk, department.name_en = new
    record(AuditKind.NAMES_SET, actor_id=_by(by), target=f"department {department.code}",
           details={"department_id": department.id, "before": list(before),
                    "after": list(new)})


def _names(name: str, name_kk: str | None, name_en: str | None) -> tuple[str, str, str]:
    """The Russian, Kazakh and English names, trimmed; the Russian one is required."""
    name = (name or "").strip()
    if not name:
        raise Refused(_l("A department needs its name in Russian."),
                      code="department_name_missing")
    return name, (name_kk or "").strip(), (name_en or "").strip()


def set_head(department: Department, head: User, *, by: User | None = None) -> None:
    if not head.has_role(Role.HEAD):
        raise Refused(_l("%(login)s is not a head: give them the head role first.",
                         login=head.login),
                      code="not_a_head", login=head.login)
    before = department.head.login if department.head is not None else None
    department.head = head
    head.department = department
    record(AuditKind.HEAD_SET, actor_id=_by(by), target=f"department {department.code}",
           details={"department_id": department.id, "before": before, "after": head.login,
                    "user_id": head.id})


def place_user(user: User, *, department: Department | None, position: str | None = None,
               iin: str | None = None, by: User | None = None,
               position_kk: str | None = None) -> None:
    """Put a user in a department; an official's IIN binds her signing keys to her."""
    from app.formats.errors import FormatError
    from app.formats.identifiers import check_iin

    if iin is not None:
        try:
            check_iin(iin)
        except FormatError as exc:
            raise Refused(_l("“%(iin)s” is not a valid IIN: it must be 12 digits that begin "
                             "with the date of birth and end with the right check digit.",
                             iin=iin),
                          code="iin_invalid", iin=iin, problem=str(exc)) from exc
    before = user.department.code if user.department is not None else None
    iin_changed = iin is not None and iin != user.iin
    if iin is not None:
        user.iin = iin
    user.department = department
    if position is not None:
        user.position = position
    if position_kk is not None:
        user.position_kk = position_kk
    # the IIN itself stays in the users table: the log says that it changed, not what it is
    record(AuditKind.PERSON_PLACED, actor_id=_by(by), target=f"user {user.login}",
           details={"user_id": user.id, "before": before,
                    "after": department.code if department is not None else None,
                    "position": position, "position_kk": position_kk,
                    "iin_changed": iin_changed})


def add_route(*, department: Department, kind: str | None = None, activity: str | None = None,
              recipient: str | None = None, position: int = 100,
              region: str | None = None, district: str | None = None,
              by: User | None = None) -> Route:
    if region and regions.region(region) is None:
        raise Refused(_l("There is no region with the code “%(region)s”.", region=region),
                      code="region_unknown", region=region)
    if district and regions.district(district) is None:
        raise Refused(_l("There is no district with the code “%(district)s”.",
                         district=district), code="district_unknown", district=district)
    route = Route(department=department, kind=kind or None, activity=activity or None,
                  recipient=recipient or None, position=position, region=region or None,
                  district=district or None)
    db.session.add(route)
    db.session.flush()
    record(AuditKind.ROUTE_ADDED, actor_id=_by(by), target=f"route {route.id}",
           details=_route_details(route))
    return route


def delete_route(route: Route, *, by: User | None = None) -> None:
    record(AuditKind.ROUTE_DELETED, actor_id=_by(by), target=f"route {route.id}",
           details=_route_details(route))
    db.session.delete(route)


def _route_details(route: Route) -> dict:
    return {"route_id": route.id, "order": route.position, "kind": route.kind,
            "activity": route.activity, "recipient": route.recipient,
            "region": route.region, "district": route.district,
            "department": route.department.code}
