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

from flask_babel import lazy_gettext as _l

from app.errors import ConfigError

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
    #: no longer read: the legal periods are rules per kind (app/deadlines/rules.toml,
    #: edited at /admin/deadline-rules); a deployment that still sets it is refused
    "QUJAT_DEADLINE_WORKING_DAYS": None,
    #: the body's office hours in its zone: a document arriving at the end or later is
    #: registered (and its period counted) from the next working day
    "QUJAT_WORKING_HOURS": "09:00-18:30",
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
    #: its name in Kazakh, written into letters in Kazakh; empty: the name above
    "QUJAT_BODY_NAME_KK": "Демонстрациялық мемлекеттік орган",
    #: the recipient codes (the portals' list of bodies) this body answers for, besides
    #: its own code; a document addressed to any other is flagged for redirection. Empty:
    #: no check (every recipient is taken as ours)
    "QUJAT_RECIPIENT_CODES": [],
    #: 30 MB of attachments, base64-encoded, plus the envelope
    "QUJAT_MAX_DOCUMENT_BYTES": 42 * 1024 * 1024,
    "QUJAT_CRL_RELOAD_SECONDS": 3600,
    #: where each CRL's serial index is kept, shared by every process of the machine
    #: (default: crl-index in the instance folder)
    "QUJAT_CRL_INDEX_DIR": None,
    #: werkzeug's method for new password hashes; the test suite sets a cheap one, a
    #: deployment is refused anything weaker than scrypt's or pbkdf2's defaults
    "QUJAT_PASSWORD_HASH_METHOD": "scrypt",
    "QUJAT_MARK_DELIVERY_SECONDS": 10,
    #: how often the worker seals logged readings into the audit chain
    "QUJAT_AUDIT_SEAL_SECONDS": 60,
    #: the executor is reminded this many working days before the deadline (each once)
    "QUJAT_REMINDER_WORKING_DAYS": [3, 1],
    #: how often the worker looks for reminders and overdue notices to write
    "QUJAT_REMINDER_SECONDS": 900,
    #: how often the worker sends (or retries) the notifications' e-mails
    "QUJAT_MAIL_SECONDS": 60,
    #: the SMTP server that e-mails notifications; none: notifications stay on the desk
    "QUJAT_SMTP_HOST": None,
    "QUJAT_SMTP_PORT": 25,
    "QUJAT_SMTP_FROM": None,
    "QUJAT_SMTP_STARTTLS": False,
    "QUJAT_SMTP_USER": None,
    "QUJAT_SMTP_PASSWORD": None,
    #: a fixed "today" (ISO date) for the reminders: honoured only with TESTING set, so
    #: a test (or two test workers) can run the calendar at a day of its choosing
    "QUJAT_TEST_TODAY": None,
    "QUJAT_TIMEZONE": "Asia/Almaty",
    #: the author's status check (no login): at most this many per client address per window
    "QUJAT_STATUS_LOOKUPS": 10,
    "QUJAT_STATUS_WINDOW_SECONDS": 60,
    #: the reverse proxies in front of the app (each appends the address it saw to
    #: X-Forwarded-For): the client's address and scheme are read through this many of
    #: them. 0: X-Forwarded-* are not believed (a client could write anything in them)
    "QUJAT_TRUSTED_PROXIES": 0,
    #: true: a portal whose sender has no pinned TLS client certificate is refused (403
    #: client_certificate_not_pinned); pinned ones are held to theirs either way. Needs a
    #: trusted proxy: the certificate is what it forwards (X-SSL-Client-Cert)
    "QUJAT_REQUIRE_CLIENT_CERTIFICATE": False,
    #: days a login session is kept after it ended (or, still open, after it started: an
    #: open login that old opens nothing any more) before the worker deletes it
    "QUJAT_SESSION_RETENTION_DAYS": 30,
    #: log lines on stdout: "json" (one object a line) or "text"; unset, `qujat serve` and
    #: `qujat worker` write JSON, the development server, the demo and the commands text
    "QUJAT_LOG_FORMAT": None,
    #: the bearer token Prometheus scrapes GET /metrics with; unset, /metrics is off (404)
    "QUJAT_METRICS_TOKEN": None,
    #: where the raw bytes live: "database" (a table, in the row's transaction), "directory"
    #: (QUJAT_BLOB_DIR, fsync'ed files) or "auto": the database on PostgreSQL, else the
    #: directory
    "QUJAT_BLOB_STORE": "auto",
    #: intake: "synchronous" (the 202 after verification, with the signed delivery mark),
    #: "queued" (the 202 once the bytes are durable; `qujat worker` verifies in batches and
    #: makes the marks) or "auto": queued on PostgreSQL, synchronous on SQLite
    "QUJAT_INTAKE_MODE": "auto",
    #: how often the worker looks for queued documents to verify, and how many it
    #: verifies in one transaction
    "QUJAT_INTAKE_VERIFY_SECONDS": 1,
    "QUJAT_INTAKE_BATCH": 100,
    "BABEL_DEFAULT_LOCALE": "ru",
    "LANGUAGES": ("ru", "kk", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    #: the session cookie only over HTTPS. Unset: true, except under Flask's debug mode or
    #: in tests; a deployment served over plain HTTP (the demo) sets it false explicitly
    "SESSION_COOKIE_SECURE": None,
    #: Flask-Login's remember-me cookie (not issued today); unset: as the session cookie
    "REMEMBER_COOKIE_SECURE": None,
    "WTF_CSRF_TIME_LIMIT": None,
}

_LIST_KEYS = {
    "QUJAT_TRUST_ANCHORS", "QUJAT_INTERMEDIATES", "QUJAT_CRLS",
    "QUJAT_OFFICIAL_ANCHORS", "QUJAT_OFFICIAL_INTERMEDIATES", "QUJAT_OFFICIAL_CRLS",
}
#: list settings that hold values, not file paths
_VALUE_LISTS = {"QUJAT_EXTRA_DAYS_OFF", "QUJAT_EXTRA_WORKING_DAYS",
                "QUJAT_REMINDER_WORKING_DAYS", "QUJAT_RECIPIENT_CODES"}
#: true/false settings: from the environment "1", "true", "yes", "on" or "0", "false", ...
_BOOL_KEYS = {key for key, value in DEFAULTS.items() if isinstance(value, bool)} | {
    "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


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
            elif key in _BOOL_KEYS:
                value = _flag(env_key, value)
            app.config[key] = value
    if "QUJAT_DATABASE_URL" in os.environ:
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["QUJAT_DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    _fill_paths(app)
    _fill_cookies(app)


def _flag(name: str, raw: str) -> bool:
    """A true/false setting from the environment; "0" and "false" are false (a non-empty
    string is true to Python, which is how such a setting used to be read)."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true or false), not {raw!r}")


def _fill_cookies(app) -> None:
    """Cookies that carry a login go over HTTPS only, unless the deployment says otherwise
    (Flask's debug server and the tests speak plain HTTP)."""
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)
    if app.config["REMEMBER_COOKIE_SECURE"] is None:
        app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(_l("QUJAT_CONFIG points at %(path)s, which does not exist.",
                             path=str(path)),
                          code="config_file_missing", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_l("%(path)s is not valid TOML: %(problem)s", path=str(path),
                             problem=str(exc)),
                          code="config_not_toml", path=str(path), problem=str(exc)) from exc
    base = path.parent
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = key.upper()
        if name.startswith("QUJAT_") and name in _LIST_KEYS:
            value = [str((base / v).resolve()) for v in value]
        elif name in {"QUJAT_SYSTEM_KEY", "QUJAT_BLOB_DIR", "QUJAT_CRL_INDEX_DIR"} and value:
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
    if not app.config["QUJAT_CRL_INDEX_DIR"]:
        app.config["QUJAT_CRL_INDEX_DIR"] = str(instance / "crl-index")
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
                raise _file_missing(key, item)
    key_path = app.config["QUJAT_SYSTEM_KEY"]
    if key_path and not Path(key_path).is_file():
        raise _file_missing("QUJAT_SYSTEM_KEY", key_path)
    _check_password_hash_method(app.config["QUJAT_PASSWORD_HASH_METHOD"],
                                testing=bool(app.config.get("TESTING")))


#: the weakest work factors a deployment may choose (werkzeug's own defaults are higher)
_MIN_SCRYPT_N = 2**14
_MIN_PBKDF2_ITERATIONS = 600_000


def _check_password_hash_method(method: str, *, testing: bool) -> None:
    """``scrypt[:n:r:p]`` or ``pbkdf2[:hash[:iterations]]``, as werkzeug spells them; a
    cheap work factor only where TESTING is set."""
    name, *args = str(method).split(":")
    try:
        if name == "scrypt":
            strong = int(args[0]) >= _MIN_SCRYPT_N if args else True
        elif name == "pbkdf2":
            strong = int(args[1]) >= _MIN_PBKDF2_ITERATIONS if len(args) > 1 else True
        else:
            raise ValueError
    except ValueError:
        raise ConfigError(f"QUJAT_PASSWORD_HASH_METHOD: '{method}' is not scrypt[:n:r:p] "
                          "or pbkdf2[:hash[:iterations]]",
                          code="password_hash_method_unknown", method=str(method)) from None
    if not strong and not testing:
        raise ConfigError(f"QUJAT_PASSWORD_HASH_METHOD: '{method}' is too cheap for "
                          "real passwords (only a test configuration may use it)",
                          code="password_hash_too_cheap", method=str(method))


def _file_missing(setting: str, path: str) -> ConfigError:
    return ConfigError(_l("%(setting)s: %(path)s does not exist.", setting=setting,
                          path=str(path)),
                       code="setting_file_missing", setting=setting, path=str(path))
