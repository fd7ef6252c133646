"""The systemd units in deploy/ start what the README's production walk says, with options
`qujat` accepts, hardened, stopped with SIGTERM and given the time a graceful stop takes;
and systemd itself finds nothing to complain of in them (``systemd-analyze verify``)."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.config import Config as GunicornConfig

from app.cli import cli
from app.config import DEFAULTS
from app.jobs import verify_budget_seconds
from app.marks.delivery import TIMEOUT as MARK_PUSH_TIMEOUT

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNITS = {"qujat-web.service": "serve", "qujat-worker.service": "worker"}
#: where the README installs Qujat; the units name its script
SCRIPT = "/opt/qujat/bin/qujat"


def _unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys keep their case
    parser.read_string((DEPLOY / name).read_text(), source=name)
    return parser["Service"]


def _seconds(value: str) -> int:
    assert re.fullmatch(r"\d+", value), f"{value!r}: give seconds as a plain number"
    return int(value)


@pytest.mark.parametrize(("unit", "command"), UNITS.items())
def test_a_unit_starts_a_qujat_command_with_options_it_accepts(unit, command):
    argv = shlex.split(_unit(unit)["ExecStart"])
    assert argv[:2] == [SCRIPT, command]
    # parsed and converted as `qujat` would, not run
    cli.commands[command].make_context(f"qujat {command}", argv[2:])


def test_the_worker_unit_runs_one_worker_with_no_options():
    assert shlex.split(_unit("qujat-worker.service")["ExecStart"]) == [SCRIPT, "worker"]


def test_a_wrong_option_in_a_unit_would_be_caught():
    from click import UsageError

    with pytest.raises(UsageError):
        cli.commands["serve"].make_context("qujat serve", ["--bind", "127.0.0.1:8000",
                                                          "--workers", "none"])


@pytest.mark.parametrize("unit", UNITS)
def test_a_unit_runs_hardened_as_its_own_user(unit):
    service = _unit(unit)
    assert service["User"] == "qujat"
    assert service["EnvironmentFile"] == "/etc/qujat/qujat.env"
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict",
                       "PrivateTmp": "yes", "ProtectHome": "yes",
                       "CapabilityBoundingSet": "", "Restart": "on-failure",
                       "KillSignal": "SIGTERM", "KillMode": "mixed"}.items():
        assert service.get(key) == value, key
    # the one directory it writes: the blobs and the CRL index under /var/lib/qujat
    assert service["StateDirectory"] == "qujat"
    assert service["ReadWritePaths"] == "/var/lib/qujat"


def test_the_web_unit_waits_for_gunicorns_graceful_stop():
    # `qujat serve` leaves gunicorn's graceful timeout at its default
    graceful = GunicornConfig().graceful_timeout
    assert _seconds(_unit("qujat-web.service")["TimeoutStopSec"]) > graceful


def test_the_worker_unit_waits_for_a_running_job_and_the_checkpoint():
    budget = verify_budget_seconds(DEFAULTS["QUJAT_INTAKE_VERIFY_SECONDS"])
    # the jobs stop side by side: a verification round and the batch it took last, or a
    # mark push (two posts, each a connect and a read); then the checkpoint
    assert _seconds(_unit("qujat-worker.service")["TimeoutStopSec"]) >= \
        max(budget * 2, 4 * MARK_PUSH_TIMEOUT) + 30


def test_the_environment_file_names_only_settings_qujat_reads():
    known = {key if key.startswith("QUJAT_") else f"QUJAT_{key}" for key in DEFAULTS}
    known |= {"QUJAT_CONFIG", "QUJAT_DATABASE_URL"}
    lines = [line for line in (DEPLOY / "qujat.env.example").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    names = [line.partition("=")[0] for line in lines]
    assert set(names) <= known
    assert {"QUJAT_CONFIG", "QUJAT_DATABASE_URL", "QUJAT_SECRET_KEY",
            "QUJAT_SYSTEM_KEY_PASSWORD"} <= set(names)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed")
def test_systemd_finds_nothing_wrong_in_the_units(tmp_path):
    # systemd checks that the command exists: this environment's qujat stands in for
    # /opt/qujat's
    here = str(Path(sys.executable).parent / "qujat")
    for unit in UNITS:
        (tmp_path / unit).write_text((DEPLOY / unit).read_text().replace(SCRIPT, here))
    checked = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / unit)
                                                             for unit in UNITS)],
                             capture_output=True, text=True)
    # an unknown key or a bad value is only a warning (exit status 0) naming the file
    complaints = [line for line in (checked.stdout + checked.stderr).splitlines()
                  if "qujat-" in line]
    assert checked.returncode == 0, checked.stderr
    assert complaints == []
