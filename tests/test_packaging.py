"""An installed Qujat (``pip install .``, not the editable install the tests run from)
carries every file it reads at run time: the templates, the XML schemas, the static files,
the translations, the migrations. Checked against pyproject.toml's package data, so a new
kind of file is not left behind on a production machine."""

from __future__ import annotations

import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _packaged(path: str, packages: list[str], data: dict[str, list[str]]) -> bool:
    """Whether ``path`` (relative to the root) goes into the wheel: a module of a package
    found, or a file one of package-data's patterns names."""
    parts = Path(path).parts
    for depth in range(len(parts) - 1, 0, -1):
        package = ".".join(parts[:depth])
        rest = "/".join(parts[depth:])
        if package in data and any(fnmatch(rest, pattern) and
                                   rest.count("/") == pattern.count("/")
                                   for pattern in data[package]):
            return True
        if path.endswith(".py") and depth == len(parts) - 1 and any(
                fnmatch(package, pattern) for pattern in packages):
            return True
    return False


def test_every_file_the_app_reads_is_in_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = config["packages"]["find"]["include"]
    data = config["package-data"]
    tracked = subprocess.run(["git", "ls-files", "app", "templates", "xml_schemas"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    # the catalogue template is the translators' (scripts/i18n), not the app's
    left_out = [path for path in tracked.split()
                if path != "app/translations/messages.pot"
                and not _packaged(path, packages, data)]
    assert left_out == []
