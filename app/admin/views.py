"""Routes: which department a registered document goes to. Edited by an administrator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.auth.models import Role
from app.auth.session import roles_required
from app.extensions import db
from app.org.models import Department, Route
from app.web.forms import CleanForm, ConfirmForm, MultiCheckboxField
from app.web.kinds import KIND_LABELS
from app.web.transaction import unit_of_work

bp = Blueprint("admin", __name__, url_prefix="/admin")


class RouteForm(CleanForm):
    position = IntegerField(_l("Order"), default=100,
                            validators=[DataRequired(), NumberRange(min=1, max=10_000)])
    kind = SelectField(_l("Document kind"), validators=[Optional()])
    activity = StringField(_l("Licence or activity kind contains"),
                           validators=[Optional(), Length(max=200)])
    recipient = StringField(_l("Recipient (subdivision) contains"),
                            validators=[Optional(), Length(max=200)])
    department = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])


def _route_form() -> RouteForm:
    form = RouteForm()
    form.kind.choices = [("", _("Any kind"))] + [(k, str(v)) for k, v in KIND_LABELS.items()]
    form.department.choices = [
        (d.id, d.name + ("" if d.head_id else " — " + _("no head")))
        for d in db.session.scalars(select(Department).order_by(Department.name))]
    return form


@bp.get("/routes")
@roles_required(Role.ADMIN)
def routes():
    return render_template(
        "admin/routes.html", form=_route_form(), delete_form=ConfirmForm(),
        routes=list(db.session.scalars(select(Route).order_by(Route.position, Route.id))),
        departments=list(db.session.scalars(select(Department).order_by(Department.name))),
        kind_labels=KIND_LABELS)


@bp.post("/routes")
@roles_required(Role.ADMIN)
def add_route():
    form = _route_form()
    if not form.validate_on_submit():
        flash(_("Check the route: %(problems)s", problems=", ".join(
            f"{form[n].label.text}: {'; '.join(e)}" for n, e in form.errors.items()
            if n in form._fields)), "error")
        return redirect(url_for(".routes"))
    with unit_of_work():
        db.session.add(Route(position=form.position.data, kind=form.kind.data or None,
                             activity=(form.activity.data or "").strip() or None,
                             recipient=(form.recipient.data or "").strip() or None,
                             department_id=form.department.data))
    flash(_("The route is added."), "success")
    return redirect(url_for(".routes"))


@bp.post("/routes/<int:route_id>/delete")
@roles_required(Role.ADMIN)
def delete_route(route_id: int):
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return redirect(url_for(".routes"))
    route = db.session.get(Route, route_id)
    if route is None:
        abort(404)
    with unit_of_work():
        db.session.delete(route)
    flash(_("The route is deleted."), "success")
    return redirect(url_for(".routes"))


class DepartmentForm(CleanForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    parent = SelectField(_l("Department above"), validators=[Optional()])
    head = SelectField(_l("Head"), validators=[Optional()])


class PlaceForm(CleanForm):
    user = SelectField(_l("User"), coerce=int, validators=[DataRequired()])
    department = SelectField(_l("Department"), validators=[DataRequired()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    iin = StringField(_l("IIN (officials who sign)"), validators=[Optional(), Length(max=12)])


def _people_forms() -> tuple[DepartmentForm, PlaceForm]:
    from app.auth.models import User

    departments = list(db.session.scalars(select(Department).order_by(Department.name)))
    users = list(db.session.scalars(select(User).order_by(User.full_name)))
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
    from app.auth.models import User

    add, place = _people_forms()
    return render_template(
        "admin/people.html", add_form=add, place_form=place,
        departments=list(db.session.scalars(select(Department).order_by(Department.name))),
        users=list(db.session.scalars(select(User).order_by(User.full_name))))


@bp.post("/departments")
@roles_required(Role.ADMIN)
def add_department():
    from app.auth.models import User
    from app.errors import QujatError
    from app.org.service import add_department as add

    form, _place = _people_forms()
    if not form.validate_on_submit():
        flash(_("Check the department: %(problems)s", problems=_problems(form)), "error")
        return redirect(url_for(".people"))
    try:
        with unit_of_work():
            head = db.session.scalar(select(User).where(User.login == form.head.data)) \
                if form.head.data else None
            add(code=form.code.data.strip(), name=form.name.data.strip(),
                parent=form.parent.data or None, head=head)
    except QujatError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".people"))
    flash(_("The department is added."), "success")
    return redirect(url_for(".people"))


@bp.post("/people")
@roles_required(Role.ADMIN)
def place_person():
    from app.auth.models import User
    from app.errors import QujatError
    from app.org.service import department_by_code, place_user

    _add, form = _people_forms()
    if not form.validate_on_submit():
        flash(_("Check the form: %(problems)s", problems=_problems(form)), "error")
        return redirect(url_for(".people"))
    try:
        with unit_of_work():
            place_user(db.session.get(User, form.user.data),
                       department=department_by_code(form.department.data),
                       position=(form.position.data or "").strip() or None,
                       iin=(form.iin.data or "").strip() or None)
    except QujatError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".people"))
    flash(_("Saved."), "success")
    return redirect(url_for(".people"))


def _problems(form) -> str:
    return ", ".join(f"{form[n].label.text}: {'; '.join(e)}" for n, e in form.errors.items()
                     if n in form._fields)


class UserForm(CleanForm):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(min=2, max=64)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    roles = MultiCheckboxField(_l("Roles"), validators=[DataRequired()])
    password = PasswordField(_l("Password (at least 8 characters)"),
                             validators=[DataRequired(), Length(min=8, max=200)])


class AccountForm(CleanForm):
    roles = MultiCheckboxField(_l("Roles"), validators=[DataRequired()])
    active = BooleanField(_l("May log in"))
    password = PasswordField(_l("New password (leave empty to keep)"),
                             validators=[Optional(), Length(min=8, max=200)])


def _role_choices():
    return [(r.value, str(r.label)) for r in Role]


@bp.get("/users")
@roles_required(Role.ADMIN)
def users():
    from app.auth.models import User

    form = UserForm()
    form.roles.choices = _role_choices()
    people = list(db.session.scalars(select(User).order_by(User.full_name)))
    accounts = {}
    for person in people:
        account = AccountForm(prefix=f"u{person.id}", roles=[r.value for r in person.role_set],
                              active=person.active)
        account.roles.choices = _role_choices()
        accounts[person.id] = account
    return render_template("admin/users.html", form=form, people=people, accounts=accounts)


@bp.post("/users")
@roles_required(Role.ADMIN)
def create_user():
    from app.auth.service import create_user as create
    from app.errors import QujatError

    form = UserForm()
    form.roles.choices = _role_choices()
    if not form.validate_on_submit():
        flash(_("Check the form: %(problems)s", problems=_problems(form)), "error")
        return redirect(url_for(".users"))
    try:
        with unit_of_work():
            create(login=form.login.data.strip(), full_name=form.full_name.data.strip(),
                   password=form.password.data, roles=[Role(r) for r in form.roles.data])
    except QujatError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".users"))
    flash(_("The user is created; place them in a department on the structure page."),
          "success")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def update_user(user_id: int):
    from flask_login import current_user

    from app.auth.models import User
    from app.auth.service import reset_password, set_active, set_roles
    from app.errors import QujatError

    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = AccountForm(prefix=f"u{person.id}")
    form.roles.choices = _role_choices()
    if not form.validate_on_submit():
        flash(_("Check the form: %(problems)s", problems=_problems(form)), "error")
        return redirect(url_for(".users"))
    try:
        with unit_of_work():
            set_roles(person, [Role(r) for r in form.roles.data], by=current_user)
            set_active(person, bool(form.active.data), by=current_user)
            if form.password.data:
                reset_password(person, form.password.data)
    except QujatError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".users"))
    flash(_("Saved."), "success")
    return redirect(url_for(".users"))
