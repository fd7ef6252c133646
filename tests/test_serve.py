"""``qujat serve``: gunicorn starts on a fresh SQLite database (upgrading it first) and
answers /healthz and /login; SIGTERM stops it. Its log is JSON lines on stdout, the
access lines carrying each request's id, and /metrics sums the counts of every process."""

from __future__ import annotations

import json
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
    env = {**os.environ, "QUJAT_CONFIG": str(config), "QUJAT_METRICS_TOKEN": "scrape"}
    for name in ("QUJAT_DATABASE_URL", "QUJAT_LOG_FORMAT", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
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
        login = requests.get(f"{base}/login", timeout=5,
                             headers={"X-Request-ID": "from-the-proxy-1"})
        assert login.status_code == 200
        assert "<form" in login.text
        assert login.headers["X-Request-ID"] == "from-the-proxy-1"
        # refused by either process; /metrics, in either, counts them all
        for _ in range(6):
            refused = requests.post(f"{base}/api/v1/documents", data=b"<x/>", timeout=5,
                                    headers={"Content-Type": "application/xml"})
            assert refused.status_code == 401
        metrics = requests.get(f"{base}/metrics", timeout=5,
                               headers={"Authorization": "Bearer scrape"})
        assert metrics.status_code == 200
        assert ('qujat_intake_total{status="401",verdict="unauthenticated"} 6.0'
                in metrics.text), metrics.text
        assert "qujat_marks_waiting 0.0" in metrics.text
    finally:
        child.send_signal(signal.SIGTERM)
        output, _ = child.communicate(timeout=30)
    assert child.returncode == 0, output.decode()
    # the schema came from the migrations, not create_all
    assert b"Database at revision" in output
    # no control socket in the user's home, shared with every other gunicorn there
    assert b"Control socket" not in output
    assert (tmp_path / "qujat.db").exists()
    lines = [json.loads(line) for line in output.decode().splitlines()
             if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    login_line = next(line for line in access if line["path"] == "/login"
                      and line["request_id"] == "from-the-proxy-1")
    assert login_line["method"] == "GET" and login_line["status"] == 200
    assert login_line["duration_ms"] > 0
    assert all(len(line["request_id"]) == 32 for line in access
               if line["path"] == "/api/v1/documents")
