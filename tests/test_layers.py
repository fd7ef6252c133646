"""The packages of app/ import one way: each layer only from the layers below it.

The graph is built from the source (every import at any depth, as Python would run it;
imports under ``if TYPE_CHECKING:`` are annotations, not dependencies). A cycle, an import
upwards or between two packages of one layer fails here, naming the file and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"

#: bottom to top. A unit is a package of app/ or a top-level module.
LAYERS: list[set[str]] = [
    # libraries: no Flask, no database (languages: picking the reader's name of a thing;
    # shipped: where the templates and the XML schemas lie)
    {"xmlsig", "languages", "shipped"},
    {"formats"},
    # the procedures of the seeds as data: who applies, what is attached, what is issued
    {"procedures"},
    # the ground every package stands on
    {"errors", "dbtypes", "timeutil", "workdays", "pdffonts", "i18n"},
    {"config", "settings", "logs"},
    {"extensions", "trust"},
    # new rows' ids drawn ahead of a batch's INSERT (PostgreSQL's sequences)
    {"dbids"},
    # the timed jobs' leases and last runs
    {"scheduling"},
    # the tamper-evident chain: the audit log, its checkpoints, the links every chained
    # table (the document history among them) carries
    {"audit"},
    # people, the department tree, the numbering journals, the reference lists (standard
    # instructions, the directory of state bodies)
    {"auth"},
    {"org", "journals", "catalogues"},
    # the record every stage shares, its states table and its files
    {"documents"},
    # the register of permits and notifications: what the office issued
    {"permits"},
    # the outbox of status marks; notifications to desk users (and their e-mail outbox)
    {"marks", "notifications"},
    # moving a document: transition, history, who takes part, who may act, deadlines
    {"workflow"},
    # the legal deadline of every document: rules as data, the calendar, recomputation
    {"deadlines"},
    # what every desk view stands on: forms, the unit of work, labels, history in words
    {"web"},
    # control of execution: extensions, suspensions, the redirection limit (the head's
    # desk and the document page read it)
    {"control"},
    # search over what each role may see (the folded copy, the query, the page)
    {"search"},
    # the stages, each only handing on to the next: registration routes to a head,
    # a head's resolution starts the reply
    {"intake", "execution", "inspections"},
    {"resolution"},
    {"registration"},
    # repeat appeals: the earlier documents of the same author, the link between them
    {"repeats"},
    # pages that gather the stages
    {"desk", "admin", "account", "health", "reports", "status"},
    # assembling the application
    {"models", "jobs"},
    # what the service tells its monitoring: GET /metrics
    {"metrics"},
    # the Alembic scripts (they read column types from dbtypes)
    {"migrations"},
    {"setup"},
    # qujat backup / restore: every table and blob, and the check after a restore
    {"backup"},
    {"__init__"},
    {"serve"},
    {"cli"},
    # the console script: hands `verify` and `deadline` to their light commands, the rest
    # to cli
    {"console"},
]


def _unit(path: Path) -> str:
    parts = path.relative_to(APP).parts
    return parts[0].removesuffix(".py")


class _Imports(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[str, int]] = []

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
        if name == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found += [(alias.name, node.lineno) for alias in node.names]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self.found.append((module, node.lineno))
        self.found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]


def _edges() -> dict[tuple[str, str], str]:
    """(from unit, to unit) -> where, for every import of another unit of app/."""
    units = {_unit(p) for p in APP.rglob("*.py")}
    edges: dict[tuple[str, str], str] = {}
    for path in sorted(APP.rglob("*.py")):
        source = _unit(path)
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        for module, line in visitor.found:
            parts = module.split(".")
            if parts[0] != "app":
                continue
            target = parts[1] if len(parts) > 1 else "__init__"
            if target in units and target != source:
                edges.setdefault((source, target), f"{path.relative_to(APP.parent)}:{line}")
    return edges


def _layer_of() -> dict[str, int]:
    return {unit: level for level, layer in enumerate(LAYERS) for unit in layer}


def test_every_unit_of_app_has_its_layer():
    units = {_unit(p) for p in APP.rglob("*.py")}
    assert units - set(_layer_of()) == set(), "add the new package to LAYERS"


def test_imports_only_go_down():
    level = _layer_of()
    wrong = [
        f"{where}: {source} (layer {level[source]}) imports {target} (layer {level[target]})"
        for (source, target), where in _edges().items()
        if source in level and target in level and level[target] >= level[source]
    ]
    assert wrong == []


def test_there_is_no_import_cycle():
    graph: dict[str, set[str]] = {}
    for source, target in _edges():
        graph.setdefault(source, set()).add(target)
    visiting: list[str] = []
    done: set[str] = set()

    def visit(unit: str) -> None:
        if unit in visiting:
            cycle = visiting[visiting.index(unit):] + [unit]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if unit in done:
            return
        visiting.append(unit)
        for target in sorted(graph.get(unit, ())):
            visit(target)
        visiting.pop()
        done.add(unit)

    for unit in sorted(graph):
        visit(unit)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule itself: a file importing a higher layer is caught."""
    fake = tmp_path / "app"
    (fake / "documents").mkdir(parents=True)
    (fake / "web").mkdir()
    (fake / "documents" / "models.py").write_text("from app.web.forms import X\n")
    (fake / "web" / "forms.py").write_text("X = 1\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["APP"]), "APP", fake)
    assert ("documents", "web") in _edges()


def test_no_test_module_imports_another():
    """Shared helpers live in helper modules (factories, road, certbuilder, signatures) or a
    conftest, so every test module can be read, moved or deleted on its own."""
    tests = APP.parent / "tests"
    wrong = []
    for path in sorted(tests.rglob("*.py")):
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        for module, line in visitor.found:
            parts = module.split(".")
            if parts[0] == "tests" and any(p.startswith("test_") for p in parts[1:]):
                wrong.append(f"{path.relative_to(tests.parent)}:{line} imports {module}")
    assert wrong == []
