"""Configuration from the environment and the TOML file: the cookie settings take effect,
and true/false settings read "0" as false."""

from __future__ import annotations

import pytest
from flask import Flask

from app.config import load_config
from app.errors import ConfigError


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """A Flask app to load the configuration into, with no QUJAT_* of the caller's."""
    import os

    for name in list(os.environ):
        if name.startswith("QUJAT_") and name != "QUJAT_NCA_FIXTURES":
            monkeypatch.delenv(name)

    def make(overrides=None, *, debug=False):
        app = Flask("config-test", instance_path=str(tmp_path / "instance"))
        app.debug = debug
        load_config(app, overrides)
        return app

    return make


def test_the_session_cookie_is_secure_by_default(bare):
    config = bare().config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_not_secure_by_default_when_debugging_or_testing(bare):
    assert bare(debug=True).config["SESSION_COOKIE_SECURE"] is False
    assert bare({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(("value", "secure"), [
    ("0", False), ("1", True), ("false", False), ("true", True), ("no", False), ("on", True)])
def test_the_environment_sets_the_session_cookie(bare, monkeypatch, value, secure):
    monkeypatch.setenv("QUJAT_SESSION_COOKIE_SECURE", value)
    config = bare().config
    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure
    # an explicit setting wins over the testing default, too
    assert bare({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is secure


def test_the_toml_file_sets_it_and_the_environment_wins(bare, monkeypatch, tmp_path):
    toml = tmp_path / "qujat.toml"
    toml.write_text("session_cookie_secure = false\n", encoding="utf-8")
    monkeypatch.setenv("QUJAT_CONFIG", str(toml))
    assert bare().config["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("QUJAT_SESSION_COOKIE_SECURE", "1")
    assert bare().config["SESSION_COOKIE_SECURE"] is True


def test_a_false_setting_from_the_environment_is_false(bare, monkeypatch):
    monkeypatch.setenv("QUJAT_REVOCATION_REQUIRED", "0")
    monkeypatch.setenv("QUJAT_SESSION_COOKIE_HTTPONLY", "false")
    config = bare().config
    assert config["QUJAT_REVOCATION_REQUIRED"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is False


def test_a_setting_that_is_neither_true_nor_false_is_named(bare, monkeypatch):
    monkeypatch.setenv("QUJAT_SESSION_COOKIE_SECURE", "maybe")
    with pytest.raises(ConfigError, match="QUJAT_SESSION_COOKIE_SECURE"):
        bare()


def test_the_demo_over_plain_http_says_so_in_its_config(bare, monkeypatch, pki, tmp_path):
    from qujat_demo.demo import write_config

    monkeypatch.setenv("QUJAT_CONFIG", str(write_config(tmp_path, pki)))
    assert bare().config["SESSION_COOKIE_SECURE"] is False


def test_the_cookie_the_login_sets_is_secure_when_configured(app, client, monkeypatch):
    from tests.conftest import PASSWORD, csrf_token

    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    page = client.get("/login")
    answer = client.post("/login", data={"login": "clerk", "password": PASSWORD,
                                         "csrf_token": csrf_token(page.text)})
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "; Secure" in cookie and "; HttpOnly" in cookie


def test_reminders_and_smtp_from_the_environment(bare, monkeypatch):
    from app.settings import Settings

    monkeypatch.setenv("QUJAT_REMINDER_WORKING_DAYS", "1,5")
    monkeypatch.setenv("QUJAT_SMTP_HOST", "mail.example.kz")
    monkeypatch.setenv("QUJAT_SMTP_PORT", "587")
    monkeypatch.setenv("QUJAT_SMTP_FROM", "qujat@example.kz")
    monkeypatch.setenv("QUJAT_SMTP_STARTTLS", "yes")
    monkeypatch.setenv("QUJAT_SMTP_USER", "qujat")
    monkeypatch.setenv("QUJAT_SMTP_PASSWORD", "secret")

    settings = Settings.from_config(bare().config)

    assert settings.reminder_days == (5, 1)
    smtp = settings.smtp
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.sender, smtp.starttls, smtp.user, smtp.password) == (
        "mail.example.kz", 587, "qujat@example.kz", True, "qujat", "secret")
    assert settings.test_today is None


def test_an_smtp_host_needs_a_sender_and_a_pinned_day_needs_testing(bare, monkeypatch):
    from app.settings import Settings

    monkeypatch.setenv("QUJAT_SMTP_HOST", "mail.example.kz")
    with pytest.raises(ConfigError, match="QUJAT_SMTP_FROM"):
        Settings.from_config(bare().config)
    monkeypatch.delenv("QUJAT_SMTP_HOST")

    monkeypatch.setenv("QUJAT_TEST_TODAY", "2026-11-23")
    with pytest.raises(ConfigError, match="QUJAT_TEST_TODAY"):
        Settings.from_config(bare().config)
    assert str(Settings.from_config(bare({"TESTING": True}).config).test_today) == "2026-11-23"


def test_the_intake_mode_is_one_of_three_and_auto_queues_on_postgresql(
        bare, monkeypatch, app):
    import dataclasses

    from app.extensions import db
    from app.intake.views import queued_intake
    from app.settings import Settings

    assert Settings.from_config(bare().config).intake_mode == "auto"
    monkeypatch.setenv("QUJAT_INTAKE_MODE", "fast")
    with pytest.raises(ConfigError, match="QUJAT_INTAKE_MODE"):
        Settings.from_config(bare().config)

    settings = app.extensions["qujat.settings"]
    try:
        for mode in ("auto", "queued", "synchronous"):
            app.extensions["qujat.settings"] = dataclasses.replace(settings, intake_mode=mode)
            with app.test_request_context():
                expected = {"queued": True, "synchronous": False,
                            "auto": db.engine.dialect.name == "postgresql"}[mode]
                assert queued_intake() is expected
    finally:
        app.extensions["qujat.settings"] = settings
