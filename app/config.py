"""Configuration: defaults, an optional TOML file, environment overrides, start-up checks.

Nothing is read at import time. ``load_config`` runs inside ``create_app`` so a test or a
CLI command can pass its own values, and ``check_config`` fails fast, naming the setting,
when something the product cannot run without is missing.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

# re-exported: start-up code names it from here
from app.errors import ConfigError  # noqa: F401

#: settings a deployment sets in its TOML file (keys in lower case) or environment (QUJAT_*)
DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_DATABASE_URI": None,  # default: SQLite under the instance folder
    "SECRET_KEY": None,
    #: where raw documents and attachments are kept, content-addressed by SHA-256
    "QUJAT_BLOB_DIR": None,
    #: PEM/DER files: roots we trust for citizens' and companies' signatures
    "QUJAT_TRUST_ANCHORS": [],
    #: issuing CAs used to build paths (never trusted on their own)
    "QUJAT_INTERMEDIATES": [],
    "QUJAT_CRLS": [],
    #: a certificate whose issuer has no CRL configured is INDETERMINATE, not PASSED
    "QUJAT_REVOCATION_REQUIRED": True,
    #: the state bodies' CA (УЦ ГО): officials' signing keys must chain to these roots
    "QUJAT_OFFICIAL_ANCHORS": [],
    "QUJAT_OFFICIAL_INTERMEDIATES": [],
    "QUJAT_OFFICIAL_CRLS": [],
    #: the legal period of an answer, in working days from registration, by family
    "QUJAT_DEADLINE_WORKING_DAYS": {"appeal": 15, "application": 30},
    #: a document is "due soon" when this many working days or fewer are left
    "QUJAT_DUE_SOON_WORKING_DAYS": 3,
    #: ISO dates the government's decrees make days off / working days (see workdays.py)
    "QUJAT_EXTRA_DAYS_OFF": [],
    "QUJAT_EXTRA_WORKING_DAYS": [],
    #: PKCS#12 of the state body's system key that signs status marks
    "QUJAT_SYSTEM_KEY": None,
    "QUJAT_SYSTEM_KEY_PASSWORD": None,
    #: who we are, as written into every status mark
    "QUJAT_BODY_CODE": "MIO-DEMO",
    "QUJAT_BODY_NAME": "Демонстрационный государственный орган",
    #: 30 MB of attachments, base64-encoded, plus the envelope
    "QUJAT_MAX_DOCUMENT_BYTES": 42 * 1024 * 1024,
    "QUJAT_CRL_RELOAD_SECONDS": 3600,
    "QUJAT_MARK_DELIVERY_SECONDS": 10,
    #: how often the worker seals logged readings into the audit chain
    "QUJAT_AUDIT_SEAL_SECONDS": 60,
    "QUJAT_TIMEZONE": "Asia/Almaty",
    "BABEL_DEFAULT_LOCALE": "ru",
    "LANGUAGES": ("ru", "kk", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
}

_LIST_KEYS = {
    "QUJAT_TRUST_ANCHORS", "QUJAT_INTERMEDIATES", "QUJAT_CRLS",
    "QUJAT_OFFICIAL_ANCHORS", "QUJAT_OFFICIAL_INTERMEDIATES", "QUJAT_OFFICIAL_CRLS",
}
#: list settings that hold values, not file paths
_VALUE_LISTS = {"QUJAT_EXTRA_DAYS_OFF", "QUJAT_EXTRA_WORKING_DAYS"}


def load_config(app, overrides: dict[str, Any] | None = None) -> None:
    """Defaults, then the TOML file named by QUJAT_CONFIG, then QUJAT_* environment
    variables, then ``overrides`` (tests, CLI)."""
    app.config.from_mapping(DEFAULTS)
    config_file = os.environ.get("QUJAT_CONFIG")
    if config_file:
        app.config.update(_read_toml(Path(config_file)))
    for key in DEFAULTS:
        env_key = key if key.startswith("QUJAT_") else f"QUJAT_{key}"
        if env_key in os.environ:
            value: Any = os.environ[env_key]
            if key in _LIST_KEYS:
                value = [v for v in value.split(os.pathsep) if v]
            elif key in _VALUE_LISTS:
                value = [v for v in value.split(",") if v]
            app.config[key] = value
    if "QUJAT_DATABASE_URL" in os.environ:
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["QUJAT_DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    _fill_paths(app)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"QUJAT_CONFIG points at {path}, which does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    base = path.parent
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = key.upper()
        if name.startswith("QUJAT_") and name in _LIST_KEYS:
            value = [str((base / v).resolve()) for v in value]
        elif name in {"QUJAT_SYSTEM_KEY", "QUJAT_BLOB_DIR"} and value:
            value = str((base / value).resolve())
        elif name == "SQLALCHEMY_DATABASE_URI" and value.startswith("sqlite:///./"):
            value = "sqlite:///" + str((base / value[len("sqlite:///./"):]).resolve())
        out[name] = value
    return out


def _fill_paths(app) -> None:
    instance = Path(app.instance_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'qujat.db'}"
    if not app.config["QUJAT_BLOB_DIR"]:
        app.config["QUJAT_BLOB_DIR"] = str(instance / "blobs")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme means psycopg2
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive a restart."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(os.urandom(32).hex())
    return path.read_text().strip()


def check_config(app) -> None:
    """Fail at start-up, naming the setting, rather than at the first document."""
    for key in sorted(_LIST_KEYS):
        for item in app.config[key]:
            if not Path(item).is_file():
                raise ConfigError(f"{key}: {item} does not exist")
    key_path = app.config["QUJAT_SYSTEM_KEY"]
    if key_path and not Path(key_path).is_file():
        raise ConfigError(f"QUJAT_SYSTEM_KEY: {key_path} does not exist")
