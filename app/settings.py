"""The body's settings as one frozen value, built and checked once at start-up.

The configuration (``app.config``: defaults, the TOML file, the environment) is read here
and nowhere else in the domain: services take the parts they need (the body, its time
zone, the calendar, the deadline periods) as arguments, and the edges (views, jobs, the
command line) hand them ``current_settings()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app

from app.errors import ConfigError
from app.workdays import Calendar, calendar_from_config


@dataclass(frozen=True)
class Body:
    """The state body that answers: written into every mark and letter, and the time
    zone of its office (dates on marks, letters, cards and deadlines are local dates)."""

    code: str
    name: str
    zone: str
    #: the recipient codes the body answers for besides its own; empty: any recipient
    recipients: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Settings:
    body: Body
    #: public holidays, the government's moved days off and working Saturdays
    calendar: Calendar
    #: the legal period of an answer in working days from registration, by family
    deadline_days: Mapping[str, int]
    #: "due soon" means this many working days or fewer are left
    due_soon_days: int
    #: the largest request body intake reads
    max_document_bytes: int
    blob_dir: str
    mark_delivery_seconds: int
    crl_reload_seconds: int
    #: readings wait at most about this long before they are sealed into the audit chain
    audit_seal_seconds: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Read and check every setting; ConfigError names the one that is wrong."""
        zone = str(config["QUJAT_TIMEZONE"])
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"QUJAT_TIMEZONE {zone!r} is not a known time zone",
                              setting="QUJAT_TIMEZONE") from exc
        days = dict(config["QUJAT_DEADLINE_WORKING_DAYS"])
        for family in ("appeal", "application"):
            if not isinstance(days.get(family), int) or days[family] <= 0:
                raise ConfigError(f"QUJAT_DEADLINE_WORKING_DAYS needs a positive number of "
                                  f"working days for {family!r}",
                                  setting="QUJAT_DEADLINE_WORKING_DAYS")
        return cls(
            body=Body(code=str(config["QUJAT_BODY_CODE"]), name=str(config["QUJAT_BODY_NAME"]),
                      zone=zone, recipients=frozenset(
                          str(code) for code in config.get("QUJAT_RECIPIENT_CODES") or ())),
            calendar=calendar_from_config(config),
            deadline_days=MappingProxyType(days),
            due_soon_days=_positive(config, "QUJAT_DUE_SOON_WORKING_DAYS"),
            max_document_bytes=_positive(config, "QUJAT_MAX_DOCUMENT_BYTES"),
            blob_dir=str(config["QUJAT_BLOB_DIR"]),
            mark_delivery_seconds=_positive(config, "QUJAT_MARK_DELIVERY_SECONDS"),
            crl_reload_seconds=_positive(config, "QUJAT_CRL_RELOAD_SECONDS"),
            audit_seal_seconds=_positive(config, "QUJAT_AUDIT_SEAL_SECONDS"),
        )


def _positive(config: Mapping[str, Any], key: str) -> int:
    try:
        value = int(config[key])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} must be a whole number", setting=key) from exc
    if value <= 0:
        raise ConfigError(f"{key} must be positive", setting=key)
    return value


def init_settings(app: Flask) -> None:
    app.extensions["qujat.settings"] = Settings.from_config(app.config)


def current_settings() -> Settings:
    """The running app's settings (for views, jobs and commands, not for services)."""
    return current_app.extensions["qujat.settings"]
