"""``qujat org``: departments, their heads and people, and the routes of documents."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("org")
def org() -> None:
    """The body's structure: departments, heads, people, routes."""


def _commit(action) -> None:
    from app.errors import QujatError, text
    from app.extensions import db

    try:
        action()
        db.session.commit()
    except QujatError as exc:
        db.session.rollback()
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc


def _user(login: str):
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        raise click.ClickException(f"No user with the login '{login}'")
    return user


@org.command("add-department")
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="Code of the department above this one.")
@click.option("--head", "head_login", help="Login of its head (a user with the head role).")
@click.option("--name-kk", default="", help="Its name in Kazakh (empty: Kazakh pages show NAME).")
@click.option("--name-en", default="", help="Its name in English (empty: English pages show NAME).")
@with_appcontext
def add_department(code: str, name: str, parent: str | None, head_login: str | None,
                   name_kk: str, name_en: str) -> None:
    """Add a department named NAME in Russian."""
    from app.org.service import add_department as add

    _commit(lambda: add(code=code, name=name, parent=parent,
                        head=_user(head_login) if head_login else None,
                        name_kk=name_kk, name_en=name_en))
    click.echo(f"Department {code} added.")


@org.command("name-department")
@click.argument("code")
@click.option("--name", help="Its name in Russian.")
@click.option("--name-kk", help="Its name in Kazakh (\"\": Kazakh pages show the Russian).")
@click.option("--name-en", help="Its name in English (\"\": English pages show the Russian).")
@with_appcontext
def name_department(code: str, name: str | None, name_kk: str | None,
                    name_en: str | None) -> None:
    """Change a department's names; those not given stay."""
    from app.org.service import department_by_code
    from app.org.service import name_department as rename

    _commit(lambda: rename(department_by_code(code), name=name, name_kk=name_kk,
                           name_en=name_en))
    click.echo(f"Department {code} named.")


@org.command("place")
@click.argument("login")
@click.option("--department", required=True, help="Department code.")
@click.option("--position", help="Written under a signature, e.g. «Руководитель отдела».")
@click.option("--position-kk", help="The same in Kazakh, under a letter in Kazakh.")
@click.option("--iin", help="An official's IIN: her signing keys must be issued to it.")
@with_appcontext
def place(login: str, department: str, position: str | None, position_kk: str | None,
          iin: str | None) -> None:
    from app.org.service import department_by_code, place_user

    _commit(lambda: place_user(_user(login), department=department_by_code(department),
                               position=position, position_kk=position_kk, iin=iin))
    click.echo(f"{login} placed in {department}.")


@org.command("add-route")
@click.option("--department", required=True, help="Department code.")
@click.option("--kind", help="Document kind, e.g. licence_new; any when omitted.")
@click.option("--activity", help="Words the licence or activity kind must contain.")
@click.option("--recipient", help="Words the recipient (subdivision) must contain.")
@click.option("--region", help="Region code of the object (app/formats/regions.py), e.g. ALA.")
@click.option("--district", help="District code of the object, e.g. ALA-MED.")
@click.option("--position", default=100, show_default=True, help="Order; the first match wins.")
@with_appcontext
def add_route(department: str, kind: str | None, activity: str | None, recipient: str | None,
              region: str | None, district: str | None, position: int) -> None:
    from app.org.service import add_route as add
    from app.org.service import department_by_code

    _commit(lambda: add(department=department_by_code(department), kind=kind,
                        activity=activity, recipient=recipient, position=position,
                        region=region, district=district))
    click.echo("Route added.")


@org.command("show")
@with_appcontext
def show() -> None:
    """The departments as a tree, with heads and people, then the routes."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db
    from app.org.models import Department, Route

    departments = list(db.session.scalars(select(Department).order_by(Department.name)))
    people = list(db.session.scalars(select(User).order_by(User.full_name)))

    def walk(parent_id, depth):
        for d in (d for d in departments if d.parent_id == parent_id):
            head = d.head.login if d.head else "no head"
            click.echo(f"{'  ' * depth}{d.code}  {d.name}  (head: {head})")
            for u in (u for u in people if u.department_id == d.id):
                click.echo(f"{'  ' * depth}    {u.login:<14} {u.full_name}"
                           f"{'  IIN ' + u.iin if u.iin else ''}")
            walk(d.id, depth + 1)

    walk(None, 0)
    for r in db.session.scalars(select(Route).order_by(Route.position, Route.id)):
        click.echo(f"route {r.position}: kind={r.kind or '*'} activity={r.activity or '*'} "
                   f"recipient={r.recipient or '*'} region={r.region or '*'} "
                   f"district={r.district or '*'} -> {r.department.code}")
