"""An installed Qujat (``pip install .``, not the editable install the tests run from)
carries every file it reads at run time: the templates, the XML schemas, the static files,
the translations, the migrations. The templates and the schemas, kept in the repository's
top-level ``templates/`` and ``xml_schemas/``, install inside ``app`` (setup.py): nothing
named ``templates`` or ``xml_schemas`` lands at the top of site-packages.

A wheel is built from the working tree (its tracked and new files, as a fresh checkout of
this commit would have them) with the project's own setuptools, then installed into a
throwaway virtualenv that borrows the test environment's dependencies, so nothing is
downloaded; the installed copy renders a page and compiles the schemas."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: what the wheel is built from; the rest of the repository (tests, bench, scripts) is not
#: packaged
SOURCES = ("app/", "qujat_demo/", "templates/", "xml_schemas/", "pyproject.toml", "setup.py")
#: where a repository folder lands in the installed package
INSTALLED_AS = {"templates/": "app/templates/", "xml_schemas/": "app/xml_schemas/"}


def _source_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [path for path in listed.splitlines()
            if path.startswith(SOURCES) and (ROOT / path).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for path in _source_files():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, source / path)
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "--no-index", "--no-build-isolation", "--wheel-dir", str(dist),
                            str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (made,) = dist.glob("qujat-*.whl")
    return made


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_every_file_the_app_reads_is_in_the_wheel(wheel):
    names = _names(wheel)
    expected = set()
    for path in _source_files():
        # the catalogue template is the translators' (scripts/i18n), not the app's
        if not path.startswith(("app/", "templates/", "xml_schemas/")) or \
                path == "app/translations/messages.pot":
            continue
        for folder, installed in INSTALLED_AS.items():
            if path.startswith(folder):
                path = installed + path.removeprefix(folder)
        expected.add(path)
    assert sorted(expected - names) == []
    assert "app/templates/auth/login.html" in names
    assert "app/xml_schemas/appeal-1.xsd" in names


def test_the_wheel_has_no_top_level_templates_or_schemas(wheel):
    top_level = {name.split("/")[0] for name in _names(wheel)}
    assert top_level == {"app", "qujat_demo", "qujat-0.1.0.dist-info"}


#: run by the installed copy: where its templates and schemas are, a page, the schemas
_INSTALLED_RUN = """
import importlib.util, json, sys
import app
from app import create_app
from app.extensions import db
from app.formats.schemas import SchemaSet

flask_app = create_app(json.loads(sys.argv[1]))
with flask_app.app_context():
    db.create_all()
page = flask_app.test_client().get("/login")
schemas = SchemaSet()
schemas.load_all()
print(json.dumps({
    "app": app.__file__,
    "template_folder": str(flask_app.template_folder),
    "schemas": str(schemas.directory),
    "status": page.status_code,
    "page": page.get_data(as_text=True),
    "top_level": [name for name in ("templates", "xml_schemas")
                  if importlib.util.find_spec(name) is not None],
}))
"""


def test_an_installed_wheel_renders_a_page_and_loads_the_schemas(wheel, tmp_path, pki):
    from tests.conftest import app_config

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, text=True)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # the dependencies (Flask, lxml, ...) from the test environment, appended after the
    # installed Qujat; a path, not a site directory, so its editable install of the
    # checkout (a .pth hook) stays off
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    config = app_config(pki, f"sqlite:///{tmp_path / 'qujat.db'}", tmp_path / "blobs")
    ran = subprocess.run([str(python), "-I", "-c", _INSTALLED_RUN, json.dumps(config)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout)
    assert Path(seen["app"]).is_relative_to(site / "app")
    assert seen["template_folder"] == str(site / "app" / "templates")
    assert seen["schemas"] == str(site / "app" / "xml_schemas")
    assert seen["status"] == 200
    assert 'name="password"' in seen["page"]
    assert seen["top_level"] == []
