"""A login session ends on the server: a cookie captured before logout, before one's own
password change (in another browser) or before an administrator's reset or lockout opens
nothing afterwards."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token


def _log_in(app, login: str, password: str = PASSWORD):
    client = app.test_client()
    page = client.get("/login")
    answer = client.post("/login", data={"login": login, "password": password,
                                         "csrf_token": csrf_token(page.text)})
    assert answer.status_code == 302, answer.text
    return client


def _opens(client, path: str = "/execution/") -> bool:
    answer = client.get(path)
    assert answer.status_code in (200, 302), answer.status_code
    if answer.status_code == 302:
        assert "/login" in answer.location
    return answer.status_code == 200


def _replay(app, cookie: str):
    """A second browser holding a copy of the session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _user_id(app, login: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.login == login))


def test_a_cookie_copied_before_logout_opens_nothing_after(app):
    executor = _log_in(app, "executor")
    cookie = executor.get_cookie("session").value
    assert _opens(_replay(app, cookie))  # the copy works while the session lives

    token = csrf_token(executor.get("/execution/").text)
    assert executor.post("/logout", data={"csrf_token": token}).status_code == 302

    assert not _opens(executor)
    assert not _opens(_replay(app, cookie))


def test_logging_out_ends_only_that_session(app):
    office, home = _log_in(app, "executor"), _log_in(app, "executor")
    token = csrf_token(office.get("/execution/").text)
    office.post("/logout", data={"csrf_token": token})
    assert not _opens(office)
    assert _opens(home)


def test_changing_ones_password_ends_the_other_sessions_not_this_one(app):
    office, home = _log_in(app, "executor"), _log_in(app, "executor")
    stolen = home.get_cookie("session").value
    page = office.get("/account/password")
    answer = office.post("/account/password", data={
        "csrf_token": csrf_token(page.text), "current": PASSWORD,
        "new": "a-brand-new-password", "repeat": "a-brand-new-password"})
    assert answer.status_code == 302

    assert _opens(office)  # the one who changed it stays
    assert not _opens(home)
    assert not _opens(_replay(app, stolen))
    assert _opens(_log_in(app, "executor", "a-brand-new-password"))


def _account_token(page: str, user_id: int) -> str:
    return re.search(rf'name="u{user_id}-csrf_token" type="hidden" value="([^"]+)"',
                     page).group(1)


def _update(app, admin, login: str, **fields):
    user_id = _user_id(app, login)
    page = admin.get("/admin/users").text
    data = {f"u{user_id}-csrf_token": _account_token(page, user_id),
            f"u{user_id}-roles": ["executor"]}
    data.update({f"u{user_id}-{name}": value for name, value in fields.items()})
    answer = admin.post(f"/admin/users/{user_id}", data=data)
    assert answer.status_code == 302


def test_an_administrators_reset_ends_every_session_of_that_user(app):
    office, home = _log_in(app, "executor"), _log_in(app, "executor")
    admin = _log_in(app, "admin")
    _update(app, admin, "executor", active="y", password="reset-by-the-admin")

    assert not _opens(office) and not _opens(home)
    assert _opens(admin, "/admin/users")  # the administrator's own session is untouched
    assert _opens(_log_in(app, "executor", "reset-by-the-admin"))


def test_a_lockout_ends_the_sessions_for_good(app):
    office = _log_in(app, "executor")
    admin = _log_in(app, "admin")
    _update(app, admin, "executor")  # "may log in" unticked
    assert not _opens(office)
    _update(app, admin, "executor", active="y")  # let back in: the old session stays ended
    assert not _opens(office)
    assert _opens(_log_in(app, "executor"))


def test_saving_roles_alone_ends_no_session(app):
    office = _log_in(app, "executor")
    _update(app, _log_in(app, "admin"), "executor", active="y")
    assert _opens(office)


def test_an_administrator_resetting_their_own_password_stays_logged_in(app):
    admin, elsewhere = _log_in(app, "admin"), _log_in(app, "admin")
    user_id = _user_id(app, "admin")
    page = admin.get("/admin/users").text
    admin.post(f"/admin/users/{user_id}", data={
        f"u{user_id}-csrf_token": _account_token(page, user_id), f"u{user_id}-roles": ["admin"],
        f"u{user_id}-active": "y", f"u{user_id}-password": "the-admins-new-one"})
    assert _opens(admin, "/admin/users")
    assert not _opens(elsewhere, "/admin/users")
