"""Logs: one line per event on stdout, JSON lines in production, each carrying the id of
the request it belongs to.

A request's id is the reverse proxy's ``X-Request-ID`` when it sent a sane one (letters,
digits and ``._:-``, at most 128 characters), otherwise a fresh random one; it goes back
in the answer's ``X-Request-ID`` header and into every log line written while the request
runs (``request_id``), so one grep finds what the proxy, the app and gunicorn said about
it. ``QUJAT_LOG_FORMAT`` chooses ``json`` or ``text``: ``qujat serve`` and ``qujat
worker`` default to JSON, the development server, the demo and the other commands to text.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from app.errors import ConfigError

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

FORMATS = ("json", "text")

#: attributes every LogRecord has; anything else on a record came from ``extra=`` and
#: goes into the JSON line as a field of its own
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message", "asctime", "request_id", "taskName"}


def request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    if not has_request_context():
        return None
    return g.get("request_id")


def _incoming_id() -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SANE_ID.fullmatch(offered) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request
    id, the fields given with ``extra=`` and, for an exception, its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return super().format(record)


class _Stdout(logging.StreamHandler):
    """A handler on whatever ``sys.stdout`` is when the line is written (a test that
    captures stdout sees the lines)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


class _SkippedTickFilter(logging.Filter):
    """Drops APScheduler's "Execution of job … skipped: maximum number of running instances
    reached": a job still running at its next tick (the queued intake's batches under load,
    every second) is how every job here is meant to behave (max_instances=1, coalesce), not
    a fault, and at WARNING it buried the worker's real warnings (137 of them in 20 minutes
    of the production walk's load runs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str)
                    and "skipped: maximum number of running instances" in record.msg)


_SKIPPED_TICKS = _SkippedTickFilter()


def formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt.lower() == "json" else TextFormatter()


def configure_logging(fmt: str, *, level: int = logging.INFO) -> logging.Handler:
    """The root logger writes to stdout in ``fmt``; called again, it changes the format
    of the one handler it installed rather than adding another."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _Stdout)), None)
    if handler is None:
        handler = _Stdout()
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(formatter(fmt))
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # APScheduler says "Running job …" and "executed successfully" at INFO for every tick
    # (every 10 s for mark delivery); job_runs and /admin/jobs keep each run, so the log
    # keeps its warnings and errors only
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    scheduler = logging.getLogger("apscheduler.scheduler")
    if _SKIPPED_TICKS not in scheduler.filters:
        scheduler.addFilter(_SKIPPED_TICKS)
    # Alembic >= 1.15 says "setup plugin …" five times at INFO whenever the migrations are
    # loaded, i.e. before every command's own output (`qujat --help` too)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return handler


def init_logging(app: Flask) -> None:
    """Configure the log lines and give every request its id (in ``g``, in the answer's
    header and in every log line written meanwhile)."""
    fmt = str(app.config.get("QUJAT_LOG_FORMAT") or "text").lower()
    if fmt not in FORMATS:
        raise ConfigError(f"QUJAT_LOG_FORMAT must be json or text, not {fmt!r}",
                          setting="QUJAT_LOG_FORMAT")
    configure_logging(fmt)

    @app.before_request
    def _take_request_id() -> None:
        g.request_id = _incoming_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _send_request_id(response: Response) -> Response:
        rid = g.get("request_id")
        if rid is not None:
            response.headers[REQUEST_ID_HEADER] = rid
        return response
