"""``qujat serve``: the app under gunicorn, several processes with threads each.

The schema is upgraded once, in the master, before any worker starts; each worker then
builds its own app with ``create_app()`` (no preloading: no database connection or lock is
shared across a fork).
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

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


class QujatServer(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from app import create_app

        return create_app()


def serve(*, bind: str, workers: int, threads: int, timeout: int) -> None:
    QujatServer({
        "bind": bind,
        "workers": workers,
        "threads": threads,
        # gthread: a slow client or a long verification holds one thread, not a process
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "accesslog": "-",
        "errorlog": "-",
        # the reverse proxy in front sets X-Forwarded-*; trust only the local one
        "forwarded_allow_ips": "127.0.0.1,::1",
    }).run()
