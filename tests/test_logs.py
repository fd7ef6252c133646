"""Log lines: JSON objects on stdout, each with the id of the request it was written in;
the id is the proxy's X-Request-ID when sane, else a fresh one, and goes back in the
answer."""

from __future__ import annotations

import json
import logging
import time

import pytest

from app.logs import REQUEST_ID_HEADER, configure_logging

log = logging.getLogger("qujat.test")


@pytest.fixture
def json_lines(app, capsys):
    """Switch the log lines to JSON for one test; returns a reader of the lines so far."""
    configure_logging("json")

    def read() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]

    yield read
    configure_logging("text")


def test_the_proxys_request_id_comes_back_and_a_fresh_one_is_made_without_it(client):
    answered = client.get("/login", headers={REQUEST_ID_HEADER: "proxy-7f3a:01"})
    assert answered.headers[REQUEST_ID_HEADER] == "proxy-7f3a:01"
    made = client.get("/login")
    other = client.get("/login")
    assert len(made.headers[REQUEST_ID_HEADER]) == 32
    assert made.headers[REQUEST_ID_HEADER] != other.headers[REQUEST_ID_HEADER]


@pytest.mark.parametrize("offered", ["has spaces", "x" * 129, "quote\"d", "<script>", ""])
def test_an_insane_request_id_is_replaced(client, offered):
    answered = client.get("/login", headers={REQUEST_ID_HEADER: offered})
    assert answered.headers[REQUEST_ID_HEADER] != offered
    assert len(answered.headers[REQUEST_ID_HEADER]) == 32


def test_every_line_written_in_a_request_carries_its_id(app, json_lines):
    with app.test_request_context("/login", headers={REQUEST_ID_HEADER: "req-42"}):
        app.preprocess_request()
        log.warning("checking %s", "something", extra={"document_id": 7})
    log.warning("outside any request")
    inside, outside = json_lines()[-2:]
    assert inside["request_id"] == "req-42"
    assert inside["message"] == "checking something"
    assert inside["level"] == "WARNING"
    assert inside["logger"] == "qujat.test"
    assert inside["document_id"] == 7
    assert inside["ts"].endswith("+00:00")
    assert outside["request_id"] is None


def test_an_unexpected_error_is_logged_as_one_json_line_with_its_traceback(app, json_lines):
    with app.test_request_context("/login", headers={REQUEST_ID_HEADER: "req-boom"}):
        app.preprocess_request()
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("it failed")
    line = json_lines()[-1]
    assert line["request_id"] == "req-boom"
    assert "RuntimeError: boom" in line["exc_info"]


def test_the_log_format_is_a_setting_and_a_wrong_one_is_refused(pki, database_url, tmp_path):
    from app import create_app
    from app.errors import ConfigError
    from tests.conftest import app_config

    with pytest.raises(ConfigError, match="QUJAT_LOG_FORMAT"):
        create_app({**app_config(pki, database_url, tmp_path), "QUJAT_LOG_FORMAT": "xml"})


def test_a_job_still_running_at_its_next_tick_writes_no_warning(app, json_lines):
    """The worker's jobs run one at a time (max_instances=1): the queued intake's batch
    under load outlasts its one-second tick, and APScheduler's warning for every tick it
    skips would bury the real warnings."""
    import threading

    from apscheduler.events import EVENT_JOB_MAX_INSTANCES
    from apscheduler.schedulers.background import BackgroundScheduler

    ran, skipped = threading.Event(), []
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_listener(lambda event: skipped.append(event), EVENT_JOB_MAX_INSTANCES)

    def slow_batch() -> None:
        ran.set()
        time.sleep(0.6)

    scheduler.add_job(slow_batch, "interval", seconds=0.1, id="intake.verify",
                      max_instances=1, coalesce=True)
    scheduler.start()
    try:
        assert ran.wait(5)
        deadline = time.monotonic() + 5
        while not skipped and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert skipped, "the job's next tick came while it ran"
    lines = json_lines()
    assert not [line for line in lines if "maximum number of running" in line["message"]]
    logging.getLogger("apscheduler.scheduler").warning("a scheduler warning of another kind")
    assert json_lines()[-1]["message"] == "a scheduler warning of another kind"
