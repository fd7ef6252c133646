"""The ``qujat`` console script: commands that need no application start here.

``qujat verify`` checks files against trust anchors given on the command line and
``qujat deadline`` computes a legal deadline from the shipped rules: neither reads the
configuration, the database or the templates, so neither should wait for Flask, SQLAlchemy
and every model to import (that was three quarters of a `qujat verify` run). Every other
command goes to the Flask command group in ``app.cli``.
"""

from __future__ import annotations

import sys
from importlib import import_module

#: command name -> "module:attribute" of a click command that never builds the app
STANDALONE = {
    "verify": "app.xmlsig.cli:verify",
    "deadline": "app.deadlines.cli:deadline",
}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in STANDALONE:
        module, _, name = STANDALONE[args[0]].partition(":")
        command = getattr(import_module(module), name)
        command.main(args=args[1:], prog_name=f"qujat {args[0]}")
        return
    from app.cli import cli

    cli.main(args=args, prog_name="qujat")
