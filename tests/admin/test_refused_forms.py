"""Every administrator's form refused (by the domain, or by its own checks) comes back as
typed, 422 rather than a redirect that loses the input, with the message in the reader's
language next to the field it concerns (app/web/acting.py: FIELD_OF_CODE)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html
import pytest
from sqlalchemy import select

from app.auth.models import User
from app.deadlines.models import DeadlineRuleRecord
from app.deadlines.service import seed_rules
from app.extensions import db
from app.org.service import add_department
from tests.conftest import csrf_token


@dataclass
class Case:
    #: the page the form is on and where it is posted
    page: str
    post: str
    #: what the administrator typed (without the CSRF token)
    typed: dict
    #: the field whose message it is, and a piece of that message (Russian: the default)
    field: str
    says: str
    #: typed values the page need not give back (a password is never sent back)
    secret: set = field(default_factory=set)


def _monday() -> date:
    day = date(2030, 3, 4)
    assert day.weekday() == 0
    return day


def _cases(app) -> dict[str, Case]:
    with app.app_context():
        management = add_department(code="MGMT", name="Аппарат акима")
        seed_rules()
        rule = db.session.scalars(select(DeadlineRuleRecord).order_by(
            DeadlineRuleRecord.id)).first()
        kind, valid_from, rule_code = rule.kind, rule.valid_from, rule.code
        admin = db.session.scalar(select(User).where(User.login == "admin"))
        executor = db.session.scalar(select(User).where(User.login == "executor"))
        db.session.commit()
        admin_id, executor_id, management_id = admin.id, executor.id, management.id
    u = f"u{admin_id}-"
    return {
        "new user": Case(
            "/admin/users", "/admin/users",
            {"login": "clerk", "full_name": "Жаңа Қызметкер", "roles": ["executor", "signer"],
             "email": "new@example.kz", "password": "a-long-password"},
            "login", "clerk", secret={"password"}),
        "a user's account": Case(
            "/admin/users", f"/admin/users/{admin_id}",
            # "may log in" unticked on one's own account: a lockout
            {f"{u}roles": ["admin", "clerk"], f"{u}email": "me@example.kz",
             f"{u}phone": "+7 7172 55 01 01", f"{u}password": "another-password"},
            f"{u}active", "собственную", secret={f"{u}password"}),
        "a user's e-mail": Case(
            "/admin/users", f"/admin/users/{executor_id}",
            {f"u{executor_id}-roles": ["executor", "signer"], f"u{executor_id}-active": "y",
             f"u{executor_id}-email": "executor(at)akimat.kz",
             f"u{executor_id}-phone": "+7 7172 55 02 02"},
            f"u{executor_id}-email", "executor(at)akimat.kz"),
        "new user with a bad e-mail": Case(
            "/admin/users", "/admin/users",
            {"login": "new-clerk", "full_name": "Жаңа Қызметкер", "roles": ["clerk"],
             "email": "new@", "password": "a-long-password"},
            "email", "new@", secret={"password"}),
        "department": Case(
            "/admin/people", "/admin/departments",
            {"code": "MGMT", "name": "Отдел лицензирования", "parent": "MGMT", "head": "head"},
            "code", "MGMT"),
        "person": Case(
            "/admin/people", "/admin/people",
            {"user": str(executor_id), "department": "MGMT", "position": "Главный специалист",
             "position_kk": "Бас маман", "iin": "830417401558"},
            "iin", "830417401558"),
        "route": Case(
            "/admin/routes", "/admin/routes",
            {"position": "0", "kind": "appeal_individual", "activity": "строительство",
             "recipient": "отдел дорог", "department": str(management_id)},
            "position", "Обязательн"),
        "standard instruction": Case(
            "/admin/instructions", "/admin/instructions",
            {"code": "control-7", "text_ru": "Взять на контроль", "text_kk": "   ",
             "position": "70", "active": "y"},
            "text_kk", "бязательн"),
        "state body": Case(
            "/admin/state-bodies", "/admin/state-bodies",
            {"code": "KZ-ROADS", "name_ru": "Комитет автодорог", "name_kk": "Автожолдар комитеті",
             "bin": "123456789012", "active": "y"},
            "bin", "123456789012"),
        "deadline rule": Case(
            "/admin/deadline-rules", "/admin/deadline-rules",
            {"prefix": "", "code": "twin-rule", "kind": kind, "period": "12",
             "unit": "working_days", "starts_on": "registration", "citation": "Приказ № 1",
             "note": "Пробное правило", "valid_from": valid_from.isoformat()},
            "valid_from", rule_code),
        "calendar": Case(
            "/admin/calendar", "/admin/calendar",
            {"day": _monday().isoformat(), "working": "1", "note": "Постановление № 9"},
            "day", _monday().strftime("%d.%m.%Y")),
    }


CASES = ["new user", "a user's account", "a user's e-mail", "new user with a bad e-mail",
         "department", "person", "route",
         "standard instruction", "state body", "deadline rule", "calendar"]


def _typed_back(page: lxml.html.HtmlElement, name: str, value) -> bool:
    """Whether the page's field ``name`` holds ``value`` (every box of a list ticked)."""
    fields = page.xpath("//*[@name=$name]", name=name)
    assert fields, f"the page has no field {name}"
    values = value if isinstance(value, list) else [value]
    first = fields[0]
    if first.tag == "select":
        chosen = [o.get("value") for o in first.xpath(".//option[@selected]")]
        return chosen == values
    if first.tag == "textarea":
        return (first.text or "").strip() == value.strip()
    if first.get("type") == "checkbox":
        ticked = [f.get("value") for f in fields if f.get("checked") is not None]
        return sorted(ticked) == sorted(values) or (values == ["y"] and bool(ticked))
    return first.get("value") == value


def _message_by(page: lxml.html.HtmlElement, name: str) -> str:
    """The error shown in the label (or fieldset, or cell) that holds field ``name``."""
    field_ = page.xpath("//*[@name=$name]", name=name)[0]
    holder = field_.xpath("ancestor::*[self::label or self::fieldset or self::td][1]")[0]
    return " ".join(e.text_content() for e in holder.xpath(".//*[@class='field-error']"))


@pytest.mark.parametrize("which", CASES)
def test_a_refused_admin_form_comes_back_as_typed_with_the_error_by_its_field(
        app, login, which):
    case = _cases(app)[which]
    admin = login("admin")
    token = csrf_token(admin.get(case.page).text)
    if case.post.startswith("/admin/users/"):
        token = re.search(r'name="(u\d+-)csrf_token" type="hidden" value="([^"]+)"',
                          admin.get(case.page).text).group(2)
        prefix = case.field.split("-")[0] + "-"
        data = {f"{prefix}csrf_token": token, **case.typed}
    else:
        data = {"csrf_token": token, **case.typed}

    answer = admin.post(case.post, data=data)

    assert answer.status_code == 422, answer.status_code  # not a redirect losing it all
    page = lxml.html.fromstring(answer.text)
    for name, value in case.typed.items():
        if name in case.secret or name == "prefix":
            continue
        assert _typed_back(page, name, value), f"{name} not kept"
    message = _message_by(page, case.field)
    assert case.says in message, message
    assert not page.xpath("//*[contains(@class, 'flash') and contains(., $says)]",
                          says=case.says), "said far above the form instead"


def test_the_other_rows_of_the_users_page_stay_as_the_database_has_them(app, login):
    """Only the row posted comes back as typed; the others are not filled from it."""
    cases = _cases(app)
    admin = login("admin")
    page = admin.get("/admin/users").text
    token = re.search(r'name="(u\d+-)csrf_token" type="hidden" value="([^"]+)"', page).group(2)
    case = cases["a user's account"]
    prefix = case.field.split("-")[0] + "-"
    answer = admin.post(case.post, data={f"{prefix}csrf_token": token, **case.typed})
    html = lxml.html.fromstring(answer.text)
    with app.app_context():
        clerk = db.session.scalar(select(User).where(User.login == "clerk"))
    roles = html.xpath("//input[@name=$n and @checked]/@value", n=f"u{clerk.id}-roles")
    assert roles == ["clerk"]
    assert html.xpath("//input[@name=$n]/@checked", n=f"u{clerk.id}-active")


def test_a_refused_rule_opens_its_own_form_again(app, login):
    """A change to a listed rule that is refused comes back open, in that rule's form."""
    with app.app_context():
        seed_rules()
        rules = list(db.session.scalars(select(DeadlineRuleRecord).order_by(
            DeadlineRuleRecord.id)))
        first, second = rules[0], rules[1]
        first_code, second_code = first.code, second.code
        data = {"code": second_code, "kind": first.kind, "period": "77",
                "unit": "working_days", "starts_on": "registration",
                "citation": "Изменённая ссылка", "valid_from": first.valid_from.isoformat()}
    admin = login("admin")
    token = csrf_token(admin.get("/admin/deadline-rules").text)
    prefix = f"r-{second_code}"
    answer = admin.post("/admin/deadline-rules", data={
        "csrf_token": token, "prefix": prefix,
        **{f"{prefix}-{k}": v for k, v in data.items()}})
    assert answer.status_code == 422
    html = lxml.html.fromstring(answer.text)
    assert html.xpath("//input[@name=$n]/@value", n=f"{prefix}-period") == ["77"]
    opened = html.xpath("//details[@open][.//input[@name=$n]]", n=f"{prefix}-period")
    assert opened
    assert first_code in _message_by(html, f"{prefix}-valid_from")


def test_a_calendar_day_that_is_not_a_date_is_said_by_it(app, login):
    """A date that does not parse is said next to it; the other values stay."""
    admin = login("admin")
    token = csrf_token(admin.get("/admin/calendar").text)
    answer = admin.post("/admin/calendar", data={
        "csrf_token": token, "day": "not-a-date", "working": "0",
        "note": "Постановление № 10"})
    assert answer.status_code == 422
    html = lxml.html.fromstring(answer.text)
    assert _typed_back(html, "note", "Постановление № 10")
    assert _message_by(html, "day")
