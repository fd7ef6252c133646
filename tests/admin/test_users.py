"""The administrator creates users, changes their roles, locks them out, resets passwords."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token


def _user(app, login):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        return user.id, user.role_set, user.active


def test_an_admin_creates_a_user_who_can_then_log_in(app, client, login):
    admin = login("admin")
    token = csrf_token(admin.get("/admin/users").text)
    admin.post("/admin/users", data={"csrf_token": token, "login": "new-executor",
                                     "full_name": "Жаңа Орындаушы", "roles": ["executor"],
                                     "password": "a-long-password"})
    assert _user(app, "new-executor")[1] == {Role.EXECUTOR}
    admin.post("/logout", data={"csrf_token": token})
    page = client.get("/login")
    answer = client.post("/login", data={"login": "new-executor", "password": "a-long-password",
                                         "csrf_token": csrf_token(page.text)})
    assert answer.status_code == 302 and answer.location.endswith("/execution/")


def _log_in(client, login: str, password: str):
    page = client.get("/login")
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": csrf_token(page.text)})


def _account_token(page: str, user_id: int) -> str:
    return re.search(rf'name="u{user_id}-csrf_token" type="hidden" value="([^"]+)"',
                     page).group(1)


def test_roles_lockout_and_password_reset(app, client, login):
    admin = login("admin")
    page = admin.get("/admin/users").text
    user_id, _, _ = _user(app, "executor")
    admin.post(f"/admin/users/{user_id}", data={
        f"u{user_id}-csrf_token": _account_token(page, user_id),
        f"u{user_id}-roles": ["executor", "head"],
        f"u{user_id}-password": "a-new-password-1"})  # "may log in" unticked: locked out
    _, roles, active = _user(app, "executor")
    assert roles == {Role.EXECUTOR, Role.HEAD} and active is False
    with app.app_context():
        person = db.session.scalar(select(User).where(User.login == "executor"))
        assert person.check_password("a-new-password-1")
        assert not person.check_password(PASSWORD)

    # locked out: even the right (new) password does not let them in
    admin.post("/logout", data={"csrf_token": csrf_token(page)})
    refused = _log_in(client, "executor", "a-new-password-1")
    assert refused.status_code == 200  # back on the login page, not let in
    assert client.get("/execution/").status_code == 302

    # let back in, the reset password is the one that works, the old one no longer does
    admin = login("admin")
    page = admin.get("/admin/users").text
    admin.post(f"/admin/users/{user_id}", data={
        f"u{user_id}-csrf_token": _account_token(page, user_id),
        f"u{user_id}-roles": ["executor"], f"u{user_id}-active": "y"})
    admin.post("/logout", data={"csrf_token": csrf_token(page)})
    assert _log_in(client, "executor", PASSWORD).status_code == 200
    assert _log_in(client, "executor", "a-new-password-1").status_code == 302
    assert client.get("/execution/").status_code == 200


def test_an_admin_cannot_lock_out_or_demote_themselves(app, login):
    admin = login("admin")
    page = admin.get("/admin/users").text
    admin_id, _, _ = _user(app, "admin")
    answer = admin.post(f"/admin/users/{admin_id}", data={
        f"u{admin_id}-csrf_token": _account_token(page, admin_id), f"u{admin_id}-roles": ["clerk"],
        f"u{admin_id}-active": "y"}, follow_redirects=True)
    assert "Нельзя лишить роли администратора самого себя." in answer.text
    assert _user(app, "admin")[1] == {Role.ADMIN}


def test_only_an_admin_manages_users(app, login):
    head = login("head")
    assert head.get("/admin/users").status_code == 403
    # with a valid CSRF token of the head's session, so the refusal is the role's
    token = csrf_token(head.get("/resolution/").text)
    created = head.post("/admin/users", data={
        "csrf_token": token, "login": "intruder", "full_name": "Intruder",
        "roles": ["admin"], "password": "a-long-password"})
    assert created.status_code == 403
    head_id, _, _ = _user(app, "head")
    promoted = head.post(f"/admin/users/{head_id}", data={
        f"u{head_id}-csrf_token": token, f"u{head_id}-roles": ["head", "admin"],
        f"u{head_id}-active": "y"})
    assert promoted.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "intruder")) is None
    assert _user(app, "head")[1] == {Role.HEAD}


def test_a_locked_out_user_loses_the_session_already_open(app, client, login):
    executor = login("executor")
    assert executor.get("/execution/").status_code == 200
    with app.app_context():
        db.session.scalar(select(User).where(User.login == "executor")).active = False
        db.session.commit()
    assert executor.get("/execution/").status_code == 302  # back to the login page


def test_a_user_changes_their_own_password(app, client, login):
    me = login("clerk")
    page = me.get("/account/password").text
    wrong = me.post("/account/password", data={
        "csrf_token": csrf_token(page), "current": "not-my-password",
        "new": "a-fresh-password", "repeat": "a-fresh-password"}, follow_redirects=True)
    assert wrong.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "clerk")).check_password(
            PASSWORD)
    me.post("/account/password", data={
        "csrf_token": csrf_token(page), "current": PASSWORD, "new": "a-fresh-password",
        "repeat": "a-fresh-password"})
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "clerk")).check_password(
            "a-fresh-password")


def test_role_checkboxes_are_not_each_required(login):
    """One role is enough: no box carries ``required`` (the browser would refuse the form
    unless every box were ticked); the server checks that at least one is."""
    page = login("admin").get("/admin/users").text
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*name="(?:u\d+-)?roles"[^>]*>', page)
    boxes += re.findall(r'<input[^>]*name="(?:u\d+-)?roles"[^>]*type="checkbox"[^>]*>', page)
    assert boxes
    assert not [box for box in boxes if "required" in box]


def test_a_user_without_any_role_is_refused(app, login):
    admin = login("admin")
    token = csrf_token(admin.get("/admin/users").text)
    admin.post("/admin/users", data={"csrf_token": token, "login": "no-roles",
                                     "full_name": "Без ролей", "password": "a-long-password"})
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "no-roles")) is None
