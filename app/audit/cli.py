"""``qujat audit``: verify the chain, sign a checkpoint, seal waiting readings."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("audit")
def audit() -> None:
    """The tamper-evident history and audit log."""


@audit.command("verify")
@with_appcontext
def verify_command() -> None:
    """Recompute the chain and check the signed checkpoints; exit 1 naming the first
    entry that was changed or removed."""
    from flask import current_app

    from app.audit.chain import utc_text
    from app.audit.verify import verify
    from app.trust import system_key

    state = current_app.extensions["qujat.trust"]
    verdict = verify(system_certificate=system_key().certificate,
                     official_policy=state.official_policy)
    if not verdict.ok:
        for problem in verdict.problems:
            click.echo(f"TAMPERED: {problem}", err=True)
        if verdict.broken:
            click.echo(f"{verdict.entries} entries verified before the break.", err=True)
        else:
            click.echo(f"The {verdict.entries} entries link up, but not as signed or "
                       "recorded above.", err=True)
        raise SystemExit(1)
    tables = ", ".join(f"{n} {name}" for name, n in sorted(verdict.by_table.items()))
    click.echo(f"OK: {verdict.entries} entries verified ({tables or 'none'}); "
               f"head {verdict.head}")
    if verdict.last_checkpoint is not None:
        last = verdict.last_checkpoint
        click.echo(f"{verdict.checkpoints} signed checkpoint(s) match; the last signed "
                   f"{last.entries} entries at {utc_text(last.at)}")
    else:
        click.echo("no signed checkpoint yet (the worker signs one daily and when it stops)")
    if verdict.pending:
        click.echo(f"{verdict.pending} reading(s) wait to be sealed into the chain")


@audit.command("checkpoint")
@with_appcontext
def checkpoint_command() -> None:
    """Seal the waiting readings and sign the chain's head with the system key now."""
    from app.audit.service import seal_and_sign

    checkpoint = seal_and_sign(reason="manual")
    click.echo(f"checkpoint {checkpoint.id}: {checkpoint.entries} entries, head "
               f"{checkpoint.head}")
