"""``qujat search reindex``: every document's folded copy written again."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group()
def search() -> None:
    """The search's folded copy of the documents."""


@search.command("reindex")
@with_appcontext
def reindex() -> None:
    """Fold every document's searchable words again (after an upgrade, or if in doubt)."""
    from app.extensions import db
    from app.search.index import reindex_all

    count = reindex_all()
    db.session.commit()
    click.echo(f"{count} documents indexed")
