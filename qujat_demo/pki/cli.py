"""``pki`` command group: plain click, so it runs alone or mounted under ``qujat``.

qujat pki init demo/pki [--force] [--password Qwerty12]
"""

from __future__ import annotations

from pathlib import Path

import click

from .build import init_demo_pki
from .errors import DirectoryNotEmpty
from .hierarchy import DEFAULT_PASSWORD


@click.group("pki")
def pki() -> None:
    """Demo PKI: test CAs, keys and CRLs shaped like Kazakhstan's NCA and УЦ ГО."""


@pki.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace ca/, crl/, keys/ and manifest.json in a non-empty DIRECTORY.",
)
@click.option(
    "--password",
    default=DEFAULT_PASSWORD,
    show_default=True,
    help="Password of every PKCS#12 file (written to manifest.json).",
)
def init(directory: Path, force: bool, password: str) -> None:
    """Issue a demo hierarchy into DIRECTORY."""
    if not password:
        raise click.BadParameter("must not be empty", param_hint="--password")
    try:
        demo = init_demo_pki(directory, password=password, force=force)
    except DirectoryNotEmpty as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Demo PKI written to {demo.directory} (PKCS#12 password: {demo.password})")
    for label, path in (
        ("trust anchors", demo.anchors),
        ("intermediates", demo.intermediates),
        ("CRLs", demo.crls),
    ):
        click.echo(
            f"  {label}: {', '.join(p.relative_to(demo.directory).as_posix() for p in path)}"
        )
    for entry in demo.keys.values():
        holder = entry.iin and f"IIN {entry.iin}" or ""
        if entry.bin:
            holder = f"{holder} BIN {entry.bin}".strip()
        mark = " REVOKED" if entry.revoked else ""
        click.echo(
            f"  {entry.path.relative_to(demo.directory).as_posix():38} "
            f"{entry.common_name} ({holder}){mark}"
        )
    click.echo(f"  manifest: {demo.manifest.relative_to(demo.directory).as_posix()}")
