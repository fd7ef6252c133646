"""The body's settings as one frozen value, built and checked once at start-up.

The configuration (``app.config``: defaults, the TOML file, the environment) is read here
and nowhere else in the domain: services take the parts they need (the body, its time
zone, the calendar, the deadline periods) as arguments, and the edges (views, jobs, the
command line) hand them ``current_settings()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app

from app.errors import ConfigError
from app.languages import in_language
from app.workdays import Calendar, WorkingHours, calendar_from_config


@dataclass(frozen=True)
class Body:
    """The state body that answers: written into every mark and letter, and the time
    zone of its office (dates on marks, letters, cards and deadlines are local dates)."""

    code: str
    name: str
    zone: str
    #: the recipient codes the body answers for besides its own; empty: any recipient
    recipients: frozenset[str] = frozenset()
    #: its name in Kazakh (QUJAT_BODY_NAME_KK); empty: ``name`` in every language
    name_kk: str = ""

    def name_in(self, language: str) -> str:
        """The body's name as a letter in ``language`` ("ru", "kk") writes it."""
        return in_language(language, ru=self.name, kk=self.name_kk)


@dataclass(frozen=True)
class Smtp:
    """Where notifications are e-mailed from; the user and password come from the
    environment (QUJAT_SMTP_USER, QUJAT_SMTP_PASSWORD), never from a shipped file."""

    host: str
    port: int
    sender: str
    starttls: bool = False
    user: str | None = None
    password: str | None = None


@dataclass(frozen=True)
class Settings:
    body: Body
    #: public holidays, the government's moved days off and working Saturdays
    calendar: Calendar
    #: the office hours: an arrival after them is registered on the next working day
    working_hours: WorkingHours
    #: "due soon" means this many working days or fewer are left
    due_soon_days: int
    #: the largest request body intake reads
    max_document_bytes: int
    blob_dir: str
    mark_delivery_seconds: int
    crl_reload_seconds: int
    #: readings wait at most about this long before they are sealed into the audit chain
    audit_seal_seconds: int
    #: working days before the deadline at which the executor is reminded, largest first
    reminder_days: tuple[int, ...] = (3, 1)
    reminder_seconds: int = 900
    mail_seconds: int = 60
    #: None: notifications are not e-mailed
    smtp: Smtp | None = None
    #: a pinned "today" for the reminders (only under TESTING); None: the real one
    test_today: date | None = field(default=None)
    #: the author's status check: this many per client address per window of seconds
    status_lookups: int = 10
    status_window_seconds: int = 60
    #: how many reverse proxies stand in front of the app, each appending to
    #: X-Forwarded-For: the client's address is taken that many hops from the right (and the
    #: scheme from X-Forwarded-Proto). 0: no X-Forwarded-* header is believed
    trusted_proxies: int = 0
    #: every sender must have a pinned TLS client certificate (one without is refused);
    #: the certificate is read from the trusted proxy's X-SSL-Client-Cert header
    require_client_certificate: bool = False
    #: login sessions ended (or started, if still open) longer ago than this are deleted
    #: by the worker's ``auth.purge_sessions``; an open one that old opens nothing
    session_retention_days: int = 30
    #: "synchronous", "queued" or "auto" (queued on PostgreSQL); see app/intake/queue.py
    intake_mode: str = "auto"
    intake_verify_seconds: int = 1
    intake_batch: int = 100

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Read and check every setting; ConfigError names the one that is wrong."""
        zone = str(config["QUJAT_TIMEZONE"])
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"QUJAT_TIMEZONE {zone!r} is not a known time zone",
                              setting="QUJAT_TIMEZONE") from exc
        if config.get("QUJAT_DEADLINE_WORKING_DAYS") is not None:
            # refused rather than ignored: a body that set its own numbers would otherwise
            # get other deadlines without a word
            raise ConfigError("QUJAT_DEADLINE_WORKING_DAYS is no longer read: the legal "
                              "periods are rules per kind of document (shipped in "
                              "app/deadlines/rules.toml, edited at /admin/deadline-rules); "
                              "remove the setting", setting="QUJAT_DEADLINE_WORKING_DAYS")
        try:
            hours = WorkingHours.parse(str(config["QUJAT_WORKING_HOURS"]), zone)
        except ValueError as exc:
            raise ConfigError(f"QUJAT_WORKING_HOURS: {exc}",
                              setting="QUJAT_WORKING_HOURS") from exc
        return cls(
            body=Body(code=str(config["QUJAT_BODY_CODE"]), name=str(config["QUJAT_BODY_NAME"]),
                      zone=zone, recipients=frozenset(
                          str(code) for code in config.get("QUJAT_RECIPIENT_CODES") or ()),
                      name_kk=str(config.get("QUJAT_BODY_NAME_KK") or "")),
            calendar=calendar_from_config(config),
            working_hours=hours,
            due_soon_days=_positive(config, "QUJAT_DUE_SOON_WORKING_DAYS"),
            max_document_bytes=_positive(config, "QUJAT_MAX_DOCUMENT_BYTES"),
            blob_dir=str(config["QUJAT_BLOB_DIR"]),
            mark_delivery_seconds=_positive(config, "QUJAT_MARK_DELIVERY_SECONDS"),
            crl_reload_seconds=_positive(config, "QUJAT_CRL_RELOAD_SECONDS"),
            audit_seal_seconds=_positive(config, "QUJAT_AUDIT_SEAL_SECONDS"),
            reminder_days=_reminder_days(config),
            reminder_seconds=_positive(config, "QUJAT_REMINDER_SECONDS"),
            mail_seconds=_positive(config, "QUJAT_MAIL_SECONDS"),
            smtp=_smtp(config),
            test_today=_test_today(config),
            status_lookups=_positive(config, "QUJAT_STATUS_LOOKUPS"),
            status_window_seconds=_positive(config, "QUJAT_STATUS_WINDOW_SECONDS"),
            trusted_proxies=_whole(config, "QUJAT_TRUSTED_PROXIES"),
            require_client_certificate=_require_client_certificate(config),
            session_retention_days=_positive(config, "QUJAT_SESSION_RETENTION_DAYS"),
            intake_mode=_intake_mode(config),
            intake_verify_seconds=_positive(config, "QUJAT_INTAKE_VERIFY_SECONDS"),
            intake_batch=_positive(config, "QUJAT_INTAKE_BATCH"),
        )


def _positive(config: Mapping[str, Any], key: str) -> int:
    try:
        value = int(config[key])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} must be a whole number", setting=key) from exc
    if value <= 0:
        raise ConfigError(f"{key} must be positive", setting=key)
    return value


def _whole(config: Mapping[str, Any], key: str) -> int:
    """A whole number, 0 or more."""
    try:
        value = int(config[key])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} must be a whole number", setting=key) from exc
    if value < 0:
        raise ConfigError(f"{key} cannot be negative", setting=key)
    return value


def _require_client_certificate(config: Mapping[str, Any]) -> bool:
    required = bool(config.get("QUJAT_REQUIRE_CLIENT_CERTIFICATE"))
    if required and not _whole(config, "QUJAT_TRUSTED_PROXIES"):
        # the certificate comes from the proxy's header, which is believed only from a
        # trusted proxy: without one every portal would be refused
        raise ConfigError("QUJAT_REQUIRE_CLIENT_CERTIFICATE needs QUJAT_TRUSTED_PROXIES of "
                          "1 or more: the portals' client certificates are read from the "
                          "reverse proxy that checked them",
                          setting="QUJAT_REQUIRE_CLIENT_CERTIFICATE")
    return required


INTAKE_MODES = ("synchronous", "queued", "auto")


def _intake_mode(config: Mapping[str, Any]) -> str:
    mode = str(config.get("QUJAT_INTAKE_MODE") or "auto")
    if mode not in INTAKE_MODES:
        raise ConfigError(f"QUJAT_INTAKE_MODE must be one of {', '.join(INTAKE_MODES)}, "
                          f"not {mode!r}", setting="QUJAT_INTAKE_MODE")
    return mode


def _reminder_days(config: Mapping[str, Any]) -> tuple[int, ...]:
    key = "QUJAT_REMINDER_WORKING_DAYS"
    try:
        days = {int(d) for d in config.get(key, [3, 1])}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} must list whole numbers of working days, e.g. 3,1",
                          setting=key) from exc
    if any(d < 0 for d in days):
        raise ConfigError(f"{key} cannot hold a negative number", setting=key)
    return tuple(sorted(days, reverse=True))


def _smtp(config: Mapping[str, Any]) -> Smtp | None:
    host = config.get("QUJAT_SMTP_HOST")
    if not host:
        return None
    sender = config.get("QUJAT_SMTP_FROM")
    if not sender:
        raise ConfigError("QUJAT_SMTP_FROM must name the sender's address when "
                          "QUJAT_SMTP_HOST is set", setting="QUJAT_SMTP_FROM")
    return Smtp(host=str(host), port=_positive(config, "QUJAT_SMTP_PORT"), sender=str(sender),
                starttls=bool(config.get("QUJAT_SMTP_STARTTLS")),
                user=config.get("QUJAT_SMTP_USER") or None,
                password=config.get("QUJAT_SMTP_PASSWORD") or None)


def _test_today(config: Mapping[str, Any]) -> date | None:
    raw = config.get("QUJAT_TEST_TODAY")
    if not raw:
        return None
    if not config.get("TESTING"):
        raise ConfigError("QUJAT_TEST_TODAY pins the reminders' calendar and is only for "
                          "tests (TESTING)", setting="QUJAT_TEST_TODAY")
    try:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ConfigError("QUJAT_TEST_TODAY must be an ISO date", setting="QUJAT_TEST_TODAY") \
            from exc


def init_settings(app: Flask) -> None:
    app.extensions["qujat.settings"] = Settings.from_config(app.config)


def current_settings() -> Settings:
    """The running app's settings (for views, jobs and commands, not for services)."""
    return current_app.extensions["qujat.settings"]
