"""`qujat deadline` as a person runs it: no configuration file, no trust store, no
database; the shipped rules, the body's default hours and the public calendar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

QUJAT = str(Path(sys.executable).with_name("qujat"))


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # an empty working directory and no QUJAT_* setting: nothing to configure from
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUJAT_")}
    return subprocess.run([QUJAT, "deadline", *args], capture_output=True, text=True,
                          cwd=tmp_path, env=env, check=False, timeout=60)


def test_a_complaint_arriving_after_hours_on_friday(tmp_path):
    result = run("complaint", "--arrived", "2026-11-06T19:00", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["registered_on"], answer["due"]) == ("2026-11-09", "2026-12-07")
    assert answer["rule"]["code"] == "appc-complaint-2021"
    assert answer["rule"]["period"] == 20 and answer["rule"]["unit"] == "working_days"
    assert "процедурно-процессуальный" in answer["citation"]
    assert [d["date"] for d in answer["registration_skipped"]] == ["2026-11-07", "2026-11-08"]


def test_a_time_in_utc_is_read_on_the_bodys_clock(tmp_path):
    # 19:30 UTC on Thursday is 00:30 on Friday in Almaty
    answer = json.loads(run("statement", "--arrived", "2026-11-05T19:30:00Z",
                            tmp_path=tmp_path).stdout)
    assert (answer["registered_on"], answer["due"]) == ("2026-11-06", "2026-11-27")


def test_day_swaps_given_as_options(tmp_path):
    moved = json.loads(run("statement", "--arrived", "2026-11-02T10:00",
                           "--day-off", "2026-11-16", tmp_path=tmp_path).stdout)
    assert moved["due"] == "2026-11-24"
    assert {"date": "2026-11-16", "reason": "moved_day_off", "name": ""} in moved["skipped"]
    worked = json.loads(run("statement", "--arrived", "2026-11-02T10:00",
                            "--working-day", "2026-11-14", tmp_path=tmp_path).stdout)
    assert worked["due"] == "2026-11-20"
    assert worked["counted_working_days_off"] == ["2026-11-14"]


def test_an_application_kind(tmp_path):
    answer = json.loads(run("sanitary_notification", "--arrived", "2026-11-02T10:00+05:00",
                            tmp_path=tmp_path).stdout)
    assert (answer["registered_on"], answer["due"]) == ("2026-11-02", "2026-12-14")
    assert "О разрешениях и уведомлениях" in answer["citation"]


def test_an_unknown_kind_names_the_known_ones(tmp_path):
    result = run("petition", "--arrived", "2026-11-02T10:00", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "petition" in result.stderr
    for kind in ("statement", "complaint", "licence_new", "sanitary_notification"):
        assert kind in result.stderr


def test_a_time_that_is_not_a_time(tmp_path):
    result = run("statement", "--arrived", "tomorrow", tmp_path=tmp_path)
    assert result.returncode != 0 and "ISO 8601" in result.stderr
    result = run("statement", "--arrived", "2026-11-02T10:00", "--day-off", "16.11.2026",
                 tmp_path=tmp_path)
    assert result.returncode != 0 and "ISO date" in result.stderr
