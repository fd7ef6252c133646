"""``qujat serve``: the app under gunicorn, several processes with threads each.

The schema is upgraded once, in the master, before any worker starts; each worker then
builds its own app with ``create_app()`` (no preloading: no database connection or lock is
shared across a fork).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from app.logs import RequestIdFilter, formatter

#: more processes than this only cost memory (each holds the trust store and its CRLs)
MAX_DEFAULT_WORKERS = 8
DEFAULT_THREADS = 4


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, capped."""
    return min(2 * cores() + 1, MAX_DEFAULT_WORKERS)


class QujatLogger(Logger):
    """gunicorn's own lines on stdout in the app's format: its error log as they are,
    its access log one line per request with the fields apart (method, path, status,
    bytes, milliseconds, client) and the request id the app answered with."""

    #: "json" or "text", set by ``serve`` before gunicorn starts
    log_format = "json"

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(formatter(self.log_format))
                    handler.addFilter(RequestIdFilter())
                    if isinstance(handler, logging.StreamHandler) and handler.stream is not None:
                        handler.setStream(_stdout())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        headers = {name.lower(): value for name, value in resp.headers}
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        millis = request_time.seconds * 1000 + request_time.microseconds / 1000
        fields = {
            "request_id": headers.get("x-request-id"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(millis, 3),
            "client": environ.get("REMOTE_ADDR"),
        }
        try:
            self.access_log.info("%s %s %s %.1f ms", fields["method"], fields["path"],
                                 fields["status"], millis, extra=fields)
        except Exception:  # as gunicorn's own: a log line never fails a request
            self.exception("access log line failed")


def _stdout():
    import sys

    return sys.stdout


def metrics_dir() -> Path:
    """Where the processes of one ``qujat serve`` keep their counts for /metrics: the
    environment's PROMETHEUS_MULTIPROC_DIR emptied of the last run's files, else a fresh
    temporary directory (removed when serve stops). Set before any app is built: the
    Prometheus client chooses file-backed counters when it is imported."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
    else:
        path = Path(tempfile.mkdtemp(prefix="qujat-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


#: settings an older gunicorn (>= 23, as pyproject.toml allows) does not have (25.1 added these)
_SINCE_GUNICORN_25_1 = {"control_socket_disable"}


class QujatServer(BaseApplication):
    def __init__(self, options: dict[str, Any], app_config: dict[str, Any] | None = None):
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in _SINCE_GUNICORN_25_1 and key not in self.cfg.settings:
                continue
            self.cfg.set(key, value)

    def load(self):
        from app import create_app

        return create_app(self.app_config)


def serve(*, bind: str, workers: int, threads: int, timeout: int,
          log_format: str = "json") -> None:
    QujatLogger.log_format = log_format
    QujatServer({
        "bind": bind,
        "workers": workers,
        "threads": threads,
        # gthread: a slow client or a long verification holds one thread, not a process
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "accesslog": "-",
        "errorlog": "-",
        "logger_class": QujatLogger,
        # the reverse proxy in front sets X-Forwarded-*; trust only the local one
        "forwarded_allow_ips": "127.0.0.1,::1",
        # no control socket: a newer gunicorn opens one at ~/.gunicorn/gunicorn.ctl, shared
        # by every gunicorn the user runs (a second `qujat serve` on the machine took it
        # over), and nothing here uses it
        "control_socket_disable": True,
    }, {"QUJAT_LOG_FORMAT": log_format}).run()
