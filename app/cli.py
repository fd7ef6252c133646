"""``qujat``: one console command over the application factory.

Commands that need the database run inside the app's context; ``verify`` does not touch
the app at all.

Other installed packages add commands through the entry point group ``qujat.commands``:
the demo's ``demo``, ``pki`` and ``portal`` come from ``qujat_demo`` this way (see
pyproject.toml), so the back office never imports the demo, and a build without it simply
has no such commands. An entry point is loaded only when its command is asked for.
"""

from __future__ import annotations

import os
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import click
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from app import create_app, errors
from app.errors import QujatError


def _create_app():
    return create_app()


#: where installed packages add commands to ``qujat``
COMMAND_ENTRY_POINTS = "qujat.commands"


class QujatGroup(FlaskGroup):
    """FlaskGroup plus the commands of the ``qujat.commands`` entry points, each imported
    when it is first asked for and before Flask would load the app to look for it (``qujat
    demo`` writes the configuration the app is then created with)."""

    def _installed(self) -> dict[str, EntryPoint]:
        return {ep.name: ep for ep in entry_points(group=COMMAND_ENTRY_POINTS)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        # Flask's own version prints a traceback when the app cannot be built (no
        # configuration yet, a missing trust anchor), and `qujat --help` is the first
        # command a new operator types: say what is wrong in one line instead.
        self._load_plugin_commands()
        names = {*click.Group.list_commands(self, ctx), *self._installed()}
        try:
            names.update(ctx.ensure_object(ScriptInfo).load_app().cli.list_commands(ctx))
        except QujatError as exc:
            click.secho(f"The application cannot start, so its own commands (db, routes, "
                        f"shell) are not listed: {errors.text(exc)}\n", err=True, fg="yellow")
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and (ep := self._installed().get(name)) is not None:
            try:
                self.add_command(ep.load(), name)
            except ModuleNotFoundError as exc:
                if not exc.name or not ep.module.startswith(exc.name):
                    raise  # the package is there and broken: say so
                return None  # declared, but its package is not installed
        return super().get_command(ctx, name)


@click.group(cls=QujatGroup, create_app=_create_app, add_version_option=False)
def cli() -> None:
    """Qujat: receive, verify and register signed appeals and applications."""


@cli.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema (``qujat db upgrade``), the default registration
    journals, the shipped deadline rules, standard instructions and starter list of state
    bodies, and give every open document without a deadline its legal one (safe to run
    twice)."""
    from app.catalogues.service import seed_catalogues
    from app.deadlines.service import backfill_open_deadlines, seed_rules, setup_of
    from app.extensions import db
    from app.settings import current_settings
    from app.setup import seed_journals, upgrade_schema
    from app.timeutil import utcnow

    revision = upgrade_schema()
    created = seed_journals()
    rules = seed_rules()
    instructions, bodies = seed_catalogues()
    given = backfill_open_deadlines(setup_of(current_settings()), now=utcnow())
    db.session.commit()
    click.echo(f"Database ready at revision {revision}; {created} journal(s), {rules} "
               f"deadline rule(s), {instructions} standard instruction(s) and {bodies} "
               f"state bod(ies) created; {given} open document(s) given their legal "
               f"deadline.")


@cli.group("user")
def user_group() -> None:
    """Users of the desk."""


@user_group.command("create")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Full name as shown in the history.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["clerk", "head", "executor", "signer", "admin"]))
@click.password_option()
@with_appcontext
def user_create(login: str, full_name: str, roles: tuple[str, ...], password: str) -> None:
    from app.auth.models import Role
    from app.auth.service import create_user
    from app.errors import QujatError, text
    from app.extensions import db

    try:
        create_user(login=login, full_name=full_name, password=password,
                    roles=[Role(r) for r in roles])
        db.session.commit()
    except QujatError as exc:
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc
    click.echo(f"User {login} created.")


@cli.group("sender")
def sender_group() -> None:
    """Portals allowed to send documents."""


@sender_group.command("add")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--callback-url", default=None, help="Where status marks are pushed.")
@click.option("--name-kk", default="", help="Its name in Kazakh (empty: Kazakh pages show --name).")
@click.option("--name-en", default="",
              help="Its name in English (empty: English pages show --name).")
@with_appcontext
def sender_add(code: str, name: str, callback_url: str | None, name_kk: str,
               name_en: str) -> None:
    """Register a sending system and print its API token (shown only once). --name is its
    name in Russian."""
    from app.documents.senders import add_sender
    from app.errors import QujatError, text
    from app.extensions import db

    try:
        _, token = add_sender(code=code, name=name, callback_url=callback_url,
                              name_kk=name_kk, name_en=name_en)
        db.session.commit()
    except QujatError as exc:
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc
    click.echo(token)


@sender_group.command("name")
@click.argument("code")
@click.option("--name", help="Its name in Russian.")
@click.option("--name-kk", help="Its name in Kazakh (\"\": Kazakh pages show the Russian).")
@click.option("--name-en", help="Its name in English (\"\": English pages show the Russian).")
@with_appcontext
def sender_name(code: str, name: str | None, name_kk: str | None, name_en: str | None) -> None:
    """Change a sending system's names; those not given stay."""
    from app.documents.senders import name_sender
    from app.errors import QujatError, text
    from app.extensions import db

    sender = _sender_by_code(code)
    try:
        name_sender(sender, name=name, name_kk=name_kk, name_en=name_en)
        db.session.commit()
    except QujatError as exc:
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc
    click.echo(f"Sending system {code} named.")


def _sender_by_code(code: str):
    from sqlalchemy import select

    from app.documents.models import Sender
    from app.extensions import db

    sender = db.session.scalar(select(Sender).where(Sender.code == code))
    if sender is None:
        raise click.ClickException(f"No sending system with the code '{code}'")
    return sender


@sender_group.command("pin-certificate")
@click.argument("code")
@click.argument("pemfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def sender_pin_certificate(code: str, pemfile: Path) -> None:
    """Accept the sending system's token only with the TLS client certificate in PEMFILE
    (the portal's own certificate, as it presents it to the reverse proxy). Replaces the
    one pinned before."""
    from app.documents.client_certificates import UnreadableCertificate, read_pem
    from app.documents.senders import pin_certificate
    from app.errors import QujatError, text
    from app.extensions import db

    sender = _sender_by_code(code)
    try:
        certificate = read_pem(pemfile.read_bytes())
    except UnreadableCertificate as exc:
        raise click.ClickException(f"{pemfile} cannot be pinned: {exc}") from exc
    try:
        pin_certificate(sender, certificate)
        db.session.commit()
    except QujatError as exc:
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc
    click.echo(f"Sending system {code} pinned to {certificate.subject} (SHA-256 "
               f"{certificate.sha256}, valid until {certificate.not_after:%Y-%m-%d}).")


@sender_group.command("unpin-certificate")
@click.argument("code")
@with_appcontext
def sender_unpin_certificate(code: str) -> None:
    """Accept the sending system's token with any client certificate the reverse proxy
    lets through again (unless QUJAT_REQUIRE_CLIENT_CERTIFICATE is set)."""
    from app.documents.senders import unpin_certificate
    from app.errors import QujatError, text
    from app.extensions import db

    sender = _sender_by_code(code)
    try:
        unpin_certificate(sender)
        db.session.commit()
    except QujatError as exc:
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc
    click.echo(f"Sending system {code} has no pinned certificate any more.")


@cli.group("journal")
def journal_group() -> None:
    """Registration journals and their numbering patterns."""


@journal_group.command("list")
@with_appcontext
def journal_list() -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.journals.models import Journal

    for journal in db.session.scalars(select(Journal).order_by(Journal.id)):
        click.echo(f"{journal.code:<20} {journal.pattern:<24} {', '.join(journal.kinds)}"
                   f"  — {journal.name}")


@journal_group.command("set-pattern")
@click.argument("code")
@click.argument("pattern")
@with_appcontext
def journal_set_pattern(code: str, pattern: str) -> None:
    """Set the numbering PATTERN of journal CODE, e.g. 'ЖТ-{year}-{seq:06d}'."""
    from app.errors import QujatError, text
    from app.extensions import db
    from app.journals.numbering import set_pattern

    try:
        set_pattern(code, pattern)
        db.session.commit()
    except QujatError as exc:
        raise click.ClickException(f"{text(exc)} ({exc.code})") from exc
    click.echo(f"{code}: {pattern}")


@cli.command("worker")
@with_appcontext
def worker() -> None:
    """Run the timed jobs (status-mark delivery, CRL reload, sealing and signing the audit
    chain) in this one process; on Ctrl+C or SIGTERM it signs an audit checkpoint."""
    from flask import current_app

    from app.jobs import run_blocking
    from app.logs import configure_logging
    from app.setup import upgrade_schema

    # JSON lines unless the configuration says text
    configure_logging(current_app.config.get("QUJAT_LOG_FORMAT") or "json")
    upgrade_schema()
    run_blocking(current_app._get_current_object())


@cli.command("serve", with_appcontext=False)
@click.option("--bind", default="127.0.0.1:8000", show_default=True,
              help="Address to listen on (host:port or unix:PATH); the TLS proxy forwards here.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes [default: 2 × cores + 1, at most 8].")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True,
              help="Threads per process.")
@click.option("--timeout", type=click.IntRange(min=1), default=120, show_default=True,
              help="Seconds a request may take before its worker is restarted.")
def serve_command(bind: str, workers: int | None, threads: int, timeout: int) -> None:
    """Serve the app with gunicorn (upgrading the schema first); run a `qujat worker`
    beside it (one is enough; more share the queued intake)."""
    import shutil

    from flask.cli import ScriptInfo

    from app.logs import configure_logging
    from app.serve import default_workers, metrics_dir, serve
    from app.setup import upgrade_schema

    # before the app is built: the processes' counts for /metrics go to files there
    given = "PROMETHEUS_MULTIPROC_DIR" in os.environ
    counts, master = metrics_dir(), os.getpid()
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    log_format = app.config.get("QUJAT_LOG_FORMAT") or "json"
    configure_logging(log_format)
    try:
        with app.app_context():
            click.echo(f"Database at revision {upgrade_schema()}.")
            from app.extensions import db

            db.engine.dispose()  # no connection of the master's crosses into the workers
        serve(bind=bind, workers=workers or default_workers(), threads=threads,
              timeout=timeout, log_format=log_format)
    finally:
        # a worker leaving (its SystemExit unwinds through here too) leaves it be
        if not given and os.getpid() == master:
            shutil.rmtree(counts, ignore_errors=True)


@cli.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    """Back up the database and the blobs, consistent with each other, into DIRECTORY
    (new or empty)."""
    from app.backup import BackupError, backup, remove_incomplete
    from app.documents.storage import blob_store

    try:
        manifest = backup(directory, store=blob_store())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    except BaseException:
        remove_incomplete(directory)
        raise
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Backup of revision {manifest['revision']} in {directory}: {rows} rows in "
               f"{len(manifest['tables'])} tables, {manifest['blobs']} blobs.")


@cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(directory: Path) -> None:
    """Restore a backup into this EMPTY database, then verify every document's bytes and
    signature again; exit 1 naming what does not hold."""
    from app.backup import BackupError, restore
    from app.documents.storage import blob_store
    from app.trust import current_policy

    try:
        restored = restore(directory, store=blob_store(), policy=current_policy())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {sum(restored.tables.values())} rows in {len(restored.tables)} "
               f"tables and {restored.blobs} blobs; {restored.documents} documents checked "
               "again (bytes and signature).")
    for problem in restored.problems:
        click.echo(f"NOT OK: {problem}", err=True)
    if restored.problems:
        raise SystemExit(1)


@cli.group("blobs")
def blobs_group() -> None:
    """The store of raw documents and files."""


@blobs_group.command("import")
@with_appcontext
def blobs_import() -> None:
    """Copy the blob directory's files into the database's blobs table (once, after
    moving to the database store; the app reads the directory meanwhile)."""
    from app.documents.dbblobs import DatabaseBlobStore
    from app.documents.storage import blob_store

    store = blob_store()
    if not isinstance(store, DatabaseBlobStore):
        raise click.ClickException("the blob store is the directory (QUJAT_BLOB_STORE); "
                                   "nothing to import")
    click.echo(f"{store.import_directory()} blob(s) copied into the database.")


@cli.command("deliver-marks")
@with_appcontext
def deliver_marks() -> None:
    """Push the due status marks once (the worker does this every few seconds)."""
    from app.marks.delivery import deliver_due_marks

    click.echo(f"{deliver_due_marks()} mark(s) delivered.")


def _register_standalone_commands() -> None:
    from app.audit.cli import audit
    from app.deadlines.cli import deadline
    from app.org.cli import org
    from app.search.cli import search
    from app.xmlsig.cli import verify

    cli.add_command(verify)
    cli.add_command(org)
    cli.add_command(audit)
    cli.add_command(deadline)
    cli.add_command(search)


_register_standalone_commands()


def main() -> None:
    cli(prog_name="qujat")
