"""Guessing passwords is slowed down: after 5 failures an account waits 30 s, then twice
as long after each further failure; an address that fails often waits too, whatever the
logins it tries. The state is in the database, so every app process sees the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token

WRONG = "not-the-password"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("app.account.views.utcnow", clock)
    monkeypatch.setattr("app.admin.views.utcnow", clock)
    return clock


def attempt(app, login: str, password: str, address: str = "127.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/login")
    answer = client.post("/login", data={"login": login, "password": password,
                                         "csrf_token": csrf_token(page.text)})
    answer.client = client
    return answer


def refused_for(answer) -> str:
    assert answer.status_code == 429, answer.status_code
    return answer.headers["Retry-After"]


def let_in(answer) -> bool:
    """Whether the attempt logged in: its client then opens the executor's desk."""
    if answer.status_code != 302:
        assert answer.status_code in (200, 429)
        return False
    return answer.client.get("/execution/").status_code == 200


def test_five_wrong_then_even_the_right_password_waits(app, clock):
    for _ in range(5):
        wrong = attempt(app, "executor", WRONG)
        assert wrong.status_code == 200 and "Wrong login or password." in wrong.text
    right = attempt(app, "executor", PASSWORD)
    assert refused_for(right) == "30"
    assert "Too many failed logins. Try again in 30 seconds." in right.text
    assert not let_in(right)

    clock.advance(20)
    assert refused_for(attempt(app, "executor", PASSWORD)) == "10"
    clock.advance(11)
    assert let_in(attempt(app, "executor", PASSWORD))


def test_the_pause_doubles_with_each_further_failure_and_is_said_in_minutes(app, clock):
    for _ in range(5):
        attempt(app, "executor", WRONG)
    for pause in (30, 60, 120, 240):
        clock.advance(pause + 1)
        assert attempt(app, "executor", WRONG).status_code == 200  # a guess, and wrong
    answer = attempt(app, "executor", PASSWORD)
    assert refused_for(answer) == "480"
    assert "Try again in 8 minutes." in answer.text
    clock.advance(481)
    assert let_in(attempt(app, "executor", PASSWORD))


def test_the_pause_is_capped(app, clock):
    for _ in range(5):
        attempt(app, "executor", WRONG)
    for pause in (30, 60, 120, 240, 480, 900, 900):
        clock.advance(pause + 1)
        attempt(app, "executor", WRONG)
    assert refused_for(attempt(app, "executor", PASSWORD)) == "900"


def test_no_password_is_checked_while_paused(app, clock, monkeypatch):
    for _ in range(5):
        attempt(app, "executor", WRONG)
    checked = []
    original = User.check_password
    monkeypatch.setattr(User, "check_password",
                        lambda self, password: checked.append(password) or original(self, password))
    guesses = ("a1", "b2", "c3", PASSWORD)
    answers = [attempt(app, "executor", guess).status_code for guess in guesses]
    assert answers == [429] * 4 and checked == []


def test_a_login_nobody_has_is_paused_the_same_way(app, clock):
    for _ in range(5):
        wrong = attempt(app, "nobody-by-this-name", WRONG)
        assert wrong.status_code == 200 and "Wrong login or password." in wrong.text
    unknown = attempt(app, "nobody-by-this-name", WRONG)
    for _ in range(5):
        attempt(app, "clerk", WRONG)
    known = attempt(app, "clerk", WRONG)
    assert refused_for(unknown) == refused_for(known) == "30"
    assert "Try again in 30 seconds." in unknown.text and "Try again in 30 seconds." in known.text


def test_a_successful_login_forgets_the_failures_before_it(app, clock):
    for _ in range(4):
        attempt(app, "executor", WRONG)
    assert let_in(attempt(app, "executor", PASSWORD))
    for _ in range(4):
        attempt(app, "executor", WRONG)
    assert let_in(attempt(app, "executor", PASSWORD))


def test_failures_older_than_an_hour_are_forgotten(app, clock):
    for _ in range(4):
        attempt(app, "executor", WRONG)
    clock.advance(3601)
    attempt(app, "executor", WRONG)
    assert let_in(attempt(app, "executor", PASSWORD))


def test_an_address_that_fails_often_waits_whatever_login_it_tries(app, clock):
    guesser, office = "203.0.113.7", "198.51.100.20"
    for n in range(30):  # 3 guesses at each of 10 logins: no account reaches 5
        assert attempt(app, f"someone-{n % 10}", WRONG, guesser).status_code == 200
    assert refused_for(attempt(app, "executor", PASSWORD, guesser)) == "30"
    # the same account from elsewhere is not paused: the address was
    assert let_in(attempt(app, "executor", PASSWORD, office))
    clock.advance(31)
    assert let_in(attempt(app, "executor", PASSWORD, guesser))


def test_failures_are_kept_in_the_database(app, clock):
    from app.auth.models import LoginFailure

    for _ in range(3):
        attempt(app, "executor", WRONG)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 3


def test_the_administrator_sees_a_paused_account_and_clears_it(app, clock):
    for _ in range(5):
        attempt(app, "executor", WRONG)
    assert refused_for(attempt(app, "executor", PASSWORD)) == "30"

    admin = attempt(app, "admin", PASSWORD, "198.51.100.20").client
    page = admin.get("/admin/users").text
    assert "5 failed logins; paused for 30 s" in page
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.login == "executor"))
    answer = admin.post(f"/admin/users/{user_id}/clear-failures",
                        data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    assert "paused for" not in admin.get("/admin/users").text
    assert let_in(attempt(app, "executor", PASSWORD))


def test_the_administrator_sees_a_paused_address_and_clears_it(app, clock):
    guesser = "203.0.113.7"
    for n in range(30):
        attempt(app, f"someone-{n % 10}", WRONG, guesser)
    admin = attempt(app, "admin", PASSWORD, "198.51.100.20").client
    page = admin.get("/admin/users").text
    assert guesser in page and "30 failed logins; paused for 30 s" in page
    cleared = admin.post("/admin/login-addresses/clear", follow_redirects=True,
                         data={"csrf_token": csrf_token(page), "address": guesser})
    assert f"The address {guesser} may try to log in again now." in cleared.text
    assert guesser not in admin.get("/admin/users").text
    assert let_in(attempt(app, "executor", PASSWORD, guesser))
