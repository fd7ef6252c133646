"""The back office does not depend on the demo: nothing in app/ imports qujat_demo.

qujat_demo (demo PKI, portal simulator, demo builder, sample documents) imports app, never
the other way round; its commands reach ``qujat`` through the ``qujat.commands`` entry
points, which app/cli.py loads without naming the package.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DEMO = "qujat_demo"


def _is_demo(module: str | None) -> bool:
    return module is not None and (module == DEMO or module.startswith(DEMO + "."))


def _demo_imports(path: Path, root: Path = ROOT) -> list[str]:
    """``line: statement`` for every import of qujat_demo in the file, at any depth
    (inside functions too), including importlib.import_module("qujat_demo…")."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            hits = [alias.name for alias in node.names if _is_demo(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            hits = [node.module] if node.level == 0 and _is_demo(node.module) else []
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            hits = [first.value] if (
                isinstance(first, ast.Constant) and isinstance(first.value, str)
                and _is_demo(first.value)
                and ast.unparse(node.func).rsplit(".", 1)[-1] in {"import_module", "__import__"}
            ) else []
        else:
            hits = []
        found += [f"{path.relative_to(root)}:{node.lineno}: {name}" for name in hits]
    return found


def test_no_module_of_app_imports_qujat_demo():
    modules = sorted((ROOT / "app").rglob("*.py"))
    assert len(modules) > 50  # the walk really saw the package

    offenders = [hit for path in modules for hit in _demo_imports(path)]

    assert offenders == []


def test_the_walk_would_see_an_import_hidden_in_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import importlib\n"
        "def f():\n"
        "    from qujat_demo.pki import init_demo_pki\n"
        "    import qujat_demo.portal\n"
        "    return importlib.import_module('qujat_demo.demo')\n"
        "from qujat_demonstration import x\n",  # another name, not the package
        encoding="utf-8",
    )
    hits = _demo_imports(module, tmp_path)

    assert [hit.split(": ")[1] for hit in hits] == [
        "qujat_demo.pki", "qujat_demo.portal", "qujat_demo.demo"]


def test_importing_the_app_and_its_cli_loads_nothing_of_the_demo():
    code = (
        "import sys, app, app.cli, app.models\n"
        "app.create_app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'qujat_demo'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)

    assert result.stdout.strip() == "[]"


def test_the_demo_commands_are_reachable_from_qujat():
    from app.cli import cli

    result = CliRunner().invoke(cli, ["--help"], catch_exceptions=False)

    for command in ("demo", "pki", "portal"):
        assert f"  {command} " in result.output
        assert CliRunner().invoke(cli, [command, "--help"]).exit_code == 0


def test_a_declared_command_whose_package_is_missing_is_simply_absent(monkeypatch):
    import app.cli as qujat_cli

    ghost = EntryPoint("ghost", "qujat_no_such_package.cli:ghost", qujat_cli.COMMAND_ENTRY_POINTS)
    monkeypatch.setattr(qujat_cli, "entry_points", lambda group: [ghost])

    result = CliRunner().invoke(qujat_cli.cli, ["ghost"])

    assert result.exit_code == 2
    assert "No such command 'ghost'" in result.output
