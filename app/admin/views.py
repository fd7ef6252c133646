"""The administrator's desk: routes of documents, departments and people, users, and the
audit log. Every change made here is chained into the audit log by the service it calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.admin.forms import (
    AccountForm,
    AddressForm,
    AuditFilterForm,
    DepartmentForm,
    PlaceForm,
    RouteForm,
    UserForm,
)
from app.audit.chain import head
from app.audit.models import AuditKind
from app.audit.queries import SYSTEM, AuditFilter, audit_page, last_checkpoint
from app.auth import throttle
from app.auth.models import Role, User
from app.auth.service import create_user as create_account
from app.auth.service import reset_password, set_active, set_email, set_phone, set_roles
from app.auth.session import SESSION_TOKEN, roles_required
from app.extensions import db
from app.formats import regions
from app.org.models import Department, Route
from app.org.service import add_department as add_to_tree
from app.org.service import add_route as add_route_to
from app.org.service import delete_route as remove_route
from app.org.service import department_by_code, place_user
from app.scheduling.queries import JOB_LABELS, job_runs
from app.settings import current_settings
from app.timeutil import utcnow
from app.web.acting import act
from app.web.forms import ConfirmForm
from app.web.helpers import locale_code
from app.web.kinds import KIND_LABELS
from app.web.words import day

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _save(form, run: Callable[[], object], *, done: str, back: str):
    """Validate, run in one unit of work, say what happened, go back to the page."""
    return act(form, run, done=done, back=url_for(back)) or redirect(url_for(back))


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def _users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.full_name)))


# --- routes ---------------------------------------------------------------------------


def _route_form() -> RouteForm:
    form = RouteForm()
    form.kind.choices = [("", _("Any kind"))] + [(k, str(v)) for k, v in KIND_LABELS.items()]
    language = locale_code()
    form.region.choices = [("", _("Any region"))] + regions.region_choices(language)
    form.district.choices = [("", _("Any district"))] + regions.district_choices(language)
    form.department.choices = [
        (d.id, d.name + ("" if d.head_id else " — " + _("no head"))) for d in _departments()]
    return form


@bp.get("/routes")
@roles_required(Role.ADMIN)
def routes():
    return render_template(
        "admin/routes.html", form=_route_form(), delete_form=ConfirmForm(),
        routes=list(db.session.scalars(select(Route).order_by(Route.position, Route.id))),
        departments=_departments(), kind_labels=KIND_LABELS, regions=regions,
        language=locale_code())


@bp.post("/routes")
@roles_required(Role.ADMIN)
def add_route():
    form = _route_form()
    return _save(form, lambda: add_route_to(
        department=db.session.get(Department, form.department.data),
        position=form.position.data, kind=form.kind.data or None,
        activity=(form.activity.data or "").strip() or None,
        recipient=(form.recipient.data or "").strip() or None,
        region=form.region.data or None, district=form.district.data or None,
        by=current_user),
        done=_("The route is added."), back=".routes")


@bp.post("/routes/<int:route_id>/delete")
@roles_required(Role.ADMIN)
def delete_route(route_id: int):
    route = db.session.get(Route, route_id)
    if route is None:
        abort(404)
    return _save(ConfirmForm(), lambda: remove_route(route, by=current_user),
                 done=_("The route is deleted."), back=".routes")


# --- departments and people -----------------------------------------------------------


def _people_forms() -> tuple[DepartmentForm, PlaceForm]:
    departments, users = _departments(), _users()
    add = DepartmentForm()
    add.parent.choices = [("", "—")] + [(d.code, d.name) for d in departments]
    add.head.choices = [("", "—")] + [(u.login, u.full_name) for u in users
                                      if Role.HEAD in u.role_set]
    place = PlaceForm()
    place.user.choices = [(u.id, f"{u.full_name} ({u.login})") for u in users]
    place.department.choices = [(d.code, d.name) for d in departments]
    return add, place


@bp.get("/people")
@roles_required(Role.ADMIN)
def people():
    add, place = _people_forms()
    return render_template("admin/people.html", add_form=add, place_form=place,
                           departments=_departments(), users=_users())


@bp.post("/departments")
@roles_required(Role.ADMIN)
def add_department():
    form, _place = _people_forms()

    def run():
        head = db.session.scalar(select(User).where(User.login == form.head.data)) \
            if form.head.data else None
        add_to_tree(code=form.code.data.strip(), name=form.name.data.strip(),
                    parent=form.parent.data or None, head=head, by=current_user)

    return _save(form, run, done=_("The department is added."), back=".people")


@bp.post("/people")
@roles_required(Role.ADMIN)
def place_person():
    _add, form = _people_forms()
    return _save(form, lambda: place_user(
        db.session.get(User, form.user.data),
        department=department_by_code(form.department.data),
        position=(form.position.data or "").strip() or None,
        position_kk=(form.position_kk.data or "").strip() or None,
        iin=(form.iin.data or "").strip() or None, by=current_user),
        done=_("Saved."), back=".people")


# --- users ----------------------------------------------------------------------------


def _role_choices():
    return [(r.value, str(r.label)) for r in Role]


def failures_in_words(found: throttle.Failures) -> str:
    """"5 failed logins; paused for 30 s": what the users page says of a login or address."""
    failures = ngettext("%(num)d failed login", "%(num)d failed logins", found.failures)
    seconds = found.wait_seconds
    if not seconds:
        return failures
    wait = (_("%(num)d s", num=seconds) if seconds < 60
            else _("%(num)d min", num=-(-seconds // 60)))
    return _("%(failures)s; paused for %(wait)s", failures=failures, wait=wait)


@bp.get("/users")
@roles_required(Role.ADMIN)
def users():
    form = UserForm()
    form.roles.choices = _role_choices()
    people = _users()
    accounts = {}
    for person in people:
        account = AccountForm(prefix=f"u{person.id}", roles=[r.value for r in person.role_set],
                              active=person.active, email=person.email, phone=person.phone)
        account.roles.choices = _role_choices()
        accounts[person.id] = account
    now = utcnow()
    failures = {login: failures_in_words(found) for login, found in
                throttle.login_failures([p.login for p in people], now=now).items()}
    addresses = [(found.who, failures_in_words(found), AddressForm(address=found.who))
                 for found in throttle.paused_addresses(now=now)]
    return render_template("admin/users.html", form=form, people=people, accounts=accounts,
                           failures=failures, addresses=addresses, clear_form=ConfirmForm())


@bp.post("/users/<int:user_id>/clear-failures")
@roles_required(Role.ADMIN)
def clear_failures(user_id: int):
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    return _save(ConfirmForm(), lambda: throttle.clear_login(person.login),
                 done=_("%(name)s may try to log in again now.", name=person.full_name),
                 back=".users")


@bp.post("/login-addresses/clear")
@roles_required(Role.ADMIN)
def clear_address():
    form = AddressForm()
    return _save(form, lambda: throttle.clear_address(form.address.data),
                 done=_("The address %(address)s may try to log in again now.",
                        address=form.address.data),
                 back=".users")


@bp.post("/users")
@roles_required(Role.ADMIN)
def create_user():
    form = UserForm()
    form.roles.choices = _role_choices()
    def run():
        person = create_account(
            login=form.login.data.strip(), full_name=form.full_name.data.strip(),
            password=form.password.data, roles=[Role(r) for r in form.roles.data],
            by=current_user)
        set_email(person, form.email.data, by=current_user)

    return _save(form, run,
        done=_("The user is created; place them in a department on the structure page."),
        back=".users")


@bp.post("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def update_user(user_id: int):
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = AccountForm(prefix=f"u{person.id}")
    form.roles.choices = _role_choices()

    def run():
        now = utcnow()
        set_roles(person, [Role(r) for r in form.roles.data], by=current_user)
        set_active(person, bool(form.active.data), by=current_user, now=now)
        set_email(person, form.email.data, by=current_user)
        set_phone(person, form.phone.data)
        if form.password.data:
            # every session of theirs ends; an administrator resetting their own keeps this one
            reset_password(person, form.password.data, now=now, by=current_user,
                           keep_session=session.get(SESSION_TOKEN)
                           if person.id == current_user.id else None)

    return _save(form, run, done=_("Saved."), back=".users")


# --- timed jobs -----------------------------------------------------------------------


@bp.get("/jobs")
@roles_required(Role.ADMIN)
def jobs():
    """The worker's timed jobs: the last run of each, how it went, the next one."""
    return render_template("admin/jobs.html", runs=job_runs(), now=utcnow(),
                           labels=JOB_LABELS)


# --- the audit log --------------------------------------------------------------------

#: the names of what an entry's details hold; ids are left out of the page (the target
#: names the row in words) but stay in the log
DETAIL_LABELS = {
    "login": _l("Login"),
    "full_name": _l("Full name"),
    "roles": _l("Roles"),
    "before": _l("Before"),
    "after": _l("After"),
    "code": _l("Code"),
    "name": _l("Name"),
    "parent": _l("Department above"),
    "department": _l("Department"),
    "position": _l("Position"),
    "iin_changed": _l("IIN changed"),
    "order": _l("Order"),
    "kind": _l("Document kind"),
    "activity": _l("Licence or activity kind contains"),
    "recipient": _l("Recipient (subdivision) contains"),
    "callback_url": _l("Where marks are pushed"),
    "reason": _l("Reason"),
    "file_name": _l("File"),
    "outgoing_number": _l("Outgoing number"),
}


#: what an entry's target names, by the word the log keeps it under ("user clerk",
#: "deadline rule appeal"): the log's words stay as written (they are chained), the page
#: says them in the reader's language
TARGET_KINDS = {
    "deadline rule": _l("deadline rule"),
    "state body": _l("state body"),
    "user": _l("user"),
    "department": _l("department"),
    "route": _l("route No."),
    "journal": _l("journal"),
    "instruction": _l("standard instruction"),
    "document": _l("document No."),
    "sender": _l("sender"),
    "calendar": _l("calendar day"),
}
_ROLES = {role.value: role for role in Role}


def target_words(target: str) -> str:
    """An entry's target in the reader's words: "пользователь clerk", "день календаря
    01.05.2026"; a target of a kind not listed as it is."""
    for kind, label in TARGET_KINDS.items():
        if target.startswith(kind + " "):
            return f"{label} {day(target[len(kind) + 1:])}"
    return target


def _value_words(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        # roles are kept by their codes ("clerk"), shown by their names
        return ", ".join(str(_ROLES[v].label) if v in _ROLES else str(v)
                         for v in value) or "—"
    if key == "kind" and value in KIND_LABELS:
        return str(KIND_LABELS[value])
    return str(value)


def detail_lines(details: dict[str, Any]) -> list[tuple[str, str]]:
    """An entry's details as (label, value) lines in the reader's language."""
    lines = []
    for key, value in details.items():
        if key.endswith("_id"):
            continue
        shown = _value_words(key, value)
        lines.append((str(DETAIL_LABELS.get(key, key)), shown))
    return lines


def _number(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit():
    people = _users()
    form = AuditFilterForm(request.args)
    form.actor.choices = [("", _("Anyone")), (str(SYSTEM), _("Qujat (system, command line)"))] \
        + [(str(u.id), f"{u.full_name} ({u.login})") for u in people]
    form.kind.choices = [("", _("Anything"))] + [(k.value, str(k.label)) for k in AuditKind]
    form.validate()
    flt = AuditFilter(
        zone=current_settings().body.zone,
        actor_id=_number(form.actor.data) if not form.actor.errors else None,
        kind=AuditKind(form.kind.data) if form.kind.data and not form.kind.errors else None,
        document_id=form.document.data if not form.document.errors else None,
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    before = _number(request.args.get("before"))
    page = audit_page(flt, before=before)
    entries, _last_hash = head()
    return render_template(
        "admin/audit.html", form=form, page=page, people={u.id: u for u in people},
        args={k: v for k, v in request.args.items() if k != "before" and v},
        first_page=before is None, entries=entries, checkpoint=last_checkpoint(),
        detail_lines=detail_lines, target_words=target_words)
