"""``qujat portal ...``: the portal simulator's commands.

    qujat portal build appeal --key keys/individual_sign.p12 -o appeal.xml
    qujat portal build licence_new --unsigned -o draft.xml
    qujat portal sign draft.xml --key keys/legal_head_sign.p12 -o signed.xml
    qujat portal send signed.xml --url http://127.0.0.1:5000 --token ...
    qujat portal marks --url ... --token ... --trust-anchor ca/state_root.pem ...
    qujat portal send signed.xml --url https://qujat.example --token ... \
        --client-cert egov.pem --client-key egov.key --ca-cert server-ca.pem
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import requests

from qujat_demo.samples import SAMPLE_KINDS

PASSWORD_ENV = "QUJAT_PORTAL_KEY_PASSWORD"


def _key_options(func):
    func = click.option("--password", envvar=PASSWORD_ENV, default="Qwerty12", show_default=True,
                        help=f"PKCS#12 password (or ${PASSWORD_ENV}).")(func)
    return click.option("--key", "key_path", type=click.Path(exists=True, dir_okay=False,
                                                              path_type=Path),
                        help="PKCS#12 file to sign with, as NCALayer would.")(func)


def _api_options(func):
    pem = click.Path(exists=True, dir_okay=False)
    func = click.option("--ca-cert", "server_ca", envvar="QUJAT_PORTAL_CA_CERT", type=pem,
                        help="PEM of the CA that signed the server's HTTPS certificate "
                             "(default: the system's CAs).")(func)
    func = click.option("--client-key", envvar="QUJAT_PORTAL_CLIENT_KEY", type=pem,
                        help="PEM of the client certificate's private key (if not in the "
                             "--client-cert file).")(func)
    func = click.option("--client-cert", envvar="QUJAT_PORTAL_CLIENT_CERT", type=pem,
                        help="PEM of the portal's client certificate, for a reverse proxy "
                             "asking for mutual TLS.")(func)
    func = click.option("--token", envvar="QUJAT_PORTAL_TOKEN", required=True,
                        help="The portal's bearer token (or $QUJAT_PORTAL_TOKEN).")(func)
    return click.option("--url", envvar="QUJAT_URL", default="http://127.0.0.1:5000",
                        show_default=True, help="Base URL of the back office.")(func)


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        click.echo(f"written {out} ({len(data)} bytes)", err=True)


@click.group("portal")
def portal() -> None:
    """Portal simulator: build, sign and send documents; fetch and verify status marks."""


@portal.command("build")
@click.argument("kind", type=click.Choice(sorted(SAMPLE_KINDS)))
@click.option("--json", "json_file", type=click.Path(exists=True, dir_okay=False,
                                                      path_type=Path),
              help="Build from this JSON document instead of a sample.")
@click.option("--seed", default=1, show_default=True, help="Which sample of the kind.")
@click.option("--sender-id", help="The portal's own document id.")
@click.option("--sender-system", help="The sending system's code, e.g. EGOV.")
@click.option("--short", "short_content", help="Short content.")
@click.option("--unsigned", is_flag=True, help="Stop before signing.")
@_key_options
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path))
def build_command(kind, json_file, seed, sender_id, sender_system, short_content, unsigned,
                  key_path, password, out):
    """Build a schema-valid document of KIND; sign it unless --unsigned."""
    from app.formats.build import document_bytes
    from qujat_demo.portal.documents import build, load_key, signed_bytes

    if not unsigned and key_path is None:
        raise click.UsageError("give --key to sign, or --unsigned to stop before signing")
    key = load_key(key_path, password) if key_path else None
    overrides = {k: v for k, v in (("sender_document_id", sender_id),
                                   ("sender_system", sender_system),
                                   ("short_content", short_content)) if v}
    document = build(kind, seed=seed, json_file=json_file, signer=key, overrides=overrides)
    _write(document_bytes(document) if unsigned else signed_bytes(document, key), out)


@portal.command("sign")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_key_options
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path))
def sign_command(file, key_path, password, out):
    """Sign FILE (enveloped XML-DSig, RSA-SHA256, certificate in KeyInfo); a signed file
    gets a second signature covering the first."""
    from app.xmlsig.signer import sign_enveloped
    from qujat_demo.portal.documents import load_key

    if key_path is None:
        raise click.UsageError("give --key")
    _write(sign_enveloped(file.read_bytes(), load_key(key_path, password)), out)


@portal.command("send")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_api_options
def send_command(file, url, token, client_cert, client_key, server_ca):
    """Post FILE to the intake API and print the answer."""
    from qujat_demo.portal.client import PortalClient, PortalError, Tls

    tls = Tls(client_cert=client_cert, client_key=client_key, server_ca=server_ca)
    try:
        answer = PortalClient(url, token, tls=tls).send(file.read_bytes())
    except PortalError as exc:
        click.echo(json.dumps(exc.body, ensure_ascii=False, indent=2), err=True)
        sys.exit(1)
    except requests.RequestException as exc:  # refused, a TLS handshake failed, ...
        raise click.ClickException(f"{url}: {exc}") from exc
    mark = answer.pop("delivery_mark", None)
    click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    if mark:
        click.echo(f"delivery mark: {len(mark)} bytes of signed XML (see `portal marks`)")


@portal.command("marks")
@_api_options
@click.option("--since", default=0, show_default=True, help="Last mark id already held.")
@click.option("--trust-anchor", "anchors", multiple=True, required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Root of the state body's CA (repeatable).")
@click.option("--intermediate", "intermediates", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crl", "crls", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--save", type=click.Path(file_okay=False, path_type=Path),
              help="Write each mark's XML into this directory.")
def marks_command(url, token, client_cert, client_key, server_ca, since, anchors,
                  intermediates, crls, save):
    """Fetch the status marks after --since and verify each one's signature."""
    from app.xmlsig.trust_store import load_policy
    from qujat_demo.portal.client import PortalClient, PortalError, Tls
    from qujat_demo.portal.marks import verify_letter, verify_mark

    policy = load_policy(anchors=list(anchors), intermediates=list(intermediates),
                         crls=list(crls))
    try:
        tls = Tls(client_cert=client_cert, client_key=client_key, server_ca=server_ca)
        batch = PortalClient(url, token, tls=tls).marks(since=since)
    except PortalError as exc:
        raise click.ClickException(str(exc)) from exc
    except requests.RequestException as exc:
        raise click.ClickException(f"{url}: {exc}") from exc
    failed = 0
    for item in batch["marks"]:
        xml = item["xml"].encode("utf-8")
        checked = verify_mark(xml, policy=policy, at=datetime.now(UTC))
        failed += checked.indication != "PASSED"
        click.echo(f"#{item['id']} {item['kind']:<12} document {item['sender_document_id']}: "
                   f"{checked.indication}  {checked.summary}")
        if save:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"mark-{item['id']}.xml").write_bytes(xml)
        if item.get("letter_xml"):
            letter_xml = item["letter_xml"].encode("utf-8")
            letter = verify_letter(letter_xml, policy=policy, at=datetime.now(UTC))
            failed += letter.indication != "PASSED"
            click.echo("    " + letter.printout.replace("\n", "\n    "))
            if save:
                (save / f"letter-{item['id']}.xml").write_bytes(letter_xml)
    click.echo(f"next --since {batch['next_since']}")
    sys.exit(1 if failed else 0)
