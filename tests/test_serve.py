"""``qujat serve``: gunicorn starts on a fresh SQLite database (upgrading it first) and
answers /healthz and /login; SIGTERM stops it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from app.serve import MAX_DEFAULT_WORKERS, default_workers
from qujat_demo.demo import write_config


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_default_workers_are_capped():
    assert 3 <= default_workers() <= MAX_DEFAULT_WORKERS


def test_serve_answers_healthz_and_login(pki, tmp_path):
    config = write_config(tmp_path, pki)
    port = _free_port()
    env = {**os.environ, "QUJAT_CONFIG": str(config)}
    env.pop("QUJAT_DATABASE_URL", None)
    qujat = Path(sys.executable).parent / "qujat"
    child = subprocess.Popen(
        [str(qujat), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "2"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = requests.get(f"{base}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                assert child.poll() is None, child.stdout.read().decode() if child.stdout else ""
                assert time.monotonic() < deadline, "qujat serve did not come up"
                time.sleep(0.2)
        assert health.status_code == 200, health.text
        assert health.json()["status"] == "ok"
        login = requests.get(f"{base}/login", timeout=5)
        assert login.status_code == 200
        assert "<form" in login.text
    finally:
        child.send_signal(signal.SIGTERM)
        output, _ = child.communicate(timeout=30)
    assert child.returncode == 0, output.decode()
    # the schema came from the migrations, not create_all
    assert b"Database at revision" in output
    assert (tmp_path / "qujat.db").exists()
