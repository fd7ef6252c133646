"""What the desk benchmarks share: an app over a scratch database, a median timer, and a
page timed through the app as its user sees it (SQL, templates, the whole request)."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from pathlib import Path

#: any root will do for the desks' queries, but the app refuses to start without one
_ANCHOR = (Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "kz-nca" / "ca" /
           "root_rsa_test.pem")


def desk_app(scratch: str, *, database_url: str | None, name: str):
    from app import create_app

    return create_app({
        "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{scratch}/{name}.db",
        "QUJAT_BLOB_DIR": scratch,
        "QUJAT_TRUST_ANCHORS": [str(_ANCHOR)],
        "QUJAT_REVOCATION_REQUIRED": False,
    })


def fresh_schema() -> str:
    """The scratch database emptied and built again at the migrations' head, as an
    installation's is (``qujat db upgrade``: app.setup.upgrade_schema), so that a later
    ``--reuse`` can upgrade it. PostgreSQL: its public schema dropped and made again (the
    triggers' functions and pg_trgm with it); SQLite: the models' tables and the version
    dropped. Call it in an app context; returns the revision."""
    from sqlalchemy import text

    from app.extensions import db
    from app.setup import upgrade_schema

    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            db.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    return upgrade_schema()


def add_reuse_options(parser) -> None:
    parser.add_argument("--reuse", action="store_true",
                        help="time what a previous run filled, its schema first upgraded to "
                             "the newest migration as `qujat db upgrade` does")
    parser.add_argument("--stamp", metavar="REVISION",
                        help="with --reuse, for a database filled before the benches "
                             "versioned their schema: the migration it was made at "
                             "(`qujat db history`)")


def upgraded_schema(*, stamp: str | None = None) -> str:
    """What a previous run filled, upgraded to the migrations' head by the app's own
    migrations (app.setup.upgrade_schema, what ``qujat db upgrade`` and ``qujat serve``
    run), so a bench reuses a database of an older schema as production upgrades one. A
    database filled before the benches versioned their schema (``create_all``, no
    ``alembic_version``) is at a revision only its filler knows: ``stamp`` names it (the
    app would take it for one made before there were migrations, and replay every
    migration since). Call it in an app context; returns the revision."""
    import flask_migrate
    from sqlalchemy import inspect

    from app.extensions import MIGRATIONS_DIR, db
    from app.setup import upgrade_schema

    tables = set(inspect(db.engine).get_table_names())
    if "documents" not in tables:
        raise SystemExit("--reuse: the database holds no documents table: fill it first "
                         "(run without --reuse)")
    if "alembic_version" not in tables:
        if stamp is None:
            raise SystemExit(
                "--reuse: the database has tables but no alembic_version: a bench filled it "
                "with create_all, before the benches versioned their schema. Name the "
                "migration its schema was made at with --stamp REVISION (`qujat db "
                "history`), or fill it again without --reuse")
        flask_migrate.stamp(directory=MIGRATIONS_DIR, revision=stamp)
    elif stamp is not None:
        raise SystemExit("--stamp: the database knows its revision already (alembic_version)")
    return upgrade_schema()


def median_time(fn, repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def report(rows, reference: float, repeat: int = 30) -> None:
    print(f"{'primary-key lookup (reference)':<36} {reference * 1000:8.3f} ms")
    for name, fn in rows:
        median = median_time(fn, repeat)
        print(f"{name:<36} {median * 1000:8.3f} ms   {median / reference:7.1f}x reference")


class Statements:
    """Every SQL statement the engine runs while ``on``: its text and how long it took; and
    the time spent rendering templates, less the SQL run meanwhile (rows loaded lazily by
    a template are the SQL column's, not the template's)."""

    def __init__(self, engine, app):
        from flask import before_render_template, template_rendered
        from sqlalchemy import event

        self.on = False
        self.seen: list[tuple[str, float]] = []
        self.last: list[tuple[str, object]] = []
        self.rendering = 0.0
        self._render_began: float | None = None
        self._sql_at_render = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        before_render_template.connect(self._render_start, app, weak=False)
        template_rendered.connect(self._render_end, app, weak=False)

    def _sql_so_far(self) -> float:
        return sum(t for _, t in self.seen)

    def _render_start(self, sender, template, context, **extra):
        if self.on and self._render_began is None:
            self._render_began = time.perf_counter()
            self._sql_at_render = self._sql_so_far()

    def _render_end(self, sender, template, context, **extra):
        # the page's own template ends last (its includes and macros are inside it)
        if self.on and self._render_began is not None:
            self.rendering += (time.perf_counter() - self._render_began
                               - (self._sql_so_far() - self._sql_at_render))
            self._render_began = None

    def clear(self) -> None:
        self.seen.clear()
        self.last.clear()
        self.rendering = 0.0
        self._render_began = None

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_began"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.seen.append((statement, time.perf_counter() - conn.info["bench_began"]))
            self.last.append((statement, parameters))

    def database_time(self, app) -> float:
        """PostgreSQL's own time (planning and execution, EXPLAIN ANALYZE, best of 3) for
        the statements of the last request: what the page costs the database, whatever
        the load on this machine does to the client's clock."""
        from app.extensions import db

        total = 0.0
        with app.app_context():
            connection = db.session.connection()
            for statement, parameters in self.last:
                best = None
                for _ in range(3):
                    plan = connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
                    took = (plan[0]["Planning Time"] + plan[0]["Execution Time"]) / 1000
                    best = took if best is None else min(best, took)
                total += best or 0.0
            db.session.rollback()
            db.session.remove()
        return total


def login(client, login: str, password: str) -> None:
    import re

    page = client.get("/login").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"login": login, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, (login, response.status_code)


def next_page(client, url: str, hops: int) -> str:
    """The page ``hops`` "next page" links on from ``url`` (a deep page of a list)."""
    import re

    for _ in range(hops):
        found = re.search(r'<a href="([^"]+)" class="next-page"', client.get(url).text)
        assert found, (url, "has no next page")
        url = found.group(1).replace("&amp;", "&")
    return url


def time_page(app, statements: Statements, user: str, password: str, url: str, repeat: int,
              hops: int = 0):
    """A page as ``user`` sees it, ``hops`` "next page" links on from ``url``: the medians
    of its SQL, whole request, statements, each statement, and its templates."""
    client = app.test_client()
    login(client, user, password)
    url = next_page(client, url, hops)
    sql, wall, counts, render = [], [], [], []
    per_statement: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat + 1):
        statements.clear()
        statements.on = True
        began = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - began
        statements.on = False
        assert response.status_code == 200, (url, response.status_code)
        sql.append(sum(t for _, t in statements.seen))
        render.append(statements.rendering)
        wall.append(elapsed)
        counts.append(len(statements.seen))
        for n, (text_, t) in enumerate(statements.seen):
            per_statement[f"{n:02d} {' '.join(text_.split())[:150]}"].append(t)
    # the first request warms the caches; the median of the rest
    return (statistics.median(sql[1:]), statistics.median(wall[1:]), max(counts[1:]),
            {k: statistics.median(v[1:] or v) for k, v in per_statement.items()},
            statistics.median(render[1:]))


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (a gunicorn master's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
