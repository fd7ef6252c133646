"""``qujat verify FILE...``: check the signature of XML files and print the report.

Exit codes follow the verdict: 0 PASSED, 1 FAILED, 2 INDETERMINATE; 3 when the trust
configuration itself is unusable (an intermediate given as an anchor, an unreadable CRL,
a CRL whose signature does not verify), so a script never mistakes a configuration error
for an undecided verdict. RSA and GOST 34.10-2015 documents, chains and CRLs go the same
way; when a GOST signature was checked with the slow pure-Python Streebog, a warning on
stderr says which package brings the fast one.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from app.xmlsig.errors import XmlSigError
from app.xmlsig.report import Indication, Outcome, VerificationReport

EXIT_CODES = {Indication.PASSED: 0, Indication.FAILED: 1, Indication.INDETERMINATE: 2}
EXIT_CONFIGURATION = 3
#: from best to worst: several files exit with the code of the worst verdict among them
SEVERITY = [Indication.PASSED, Indication.INDETERMINATE, Indication.FAILED]
_MARKS = {Outcome.PASSED: "✓", Outcome.FAILED: "✗", Outcome.INDETERMINATE: "?",
          Outcome.SKIPPED: "–"}


def _moment(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date or time: {value}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command("verify")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--at", "at", metavar="TIME",
              help="Check as of this moment (ISO 8601, UTC unless an offset is given).")
@click.option("--trust-anchor", "anchors", multiple=True, metavar="PEM",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A root CA to trust (repeatable).")
@click.option("--intermediate", "intermediates", multiple=True, metavar="PEM",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An issuing CA to build paths with, never trusted alone (repeatable).")
@click.option("--crl", "crls", multiple=True, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A revocation list, DER or PEM (repeatable).")
@click.option("--revocation-required", is_flag=True,
              help="Without a CRL for the signer's issuer the verdict is INDETERMINATE.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the report as JSON (one object per line for several files).")
def verify(files: tuple[Path, ...], at: str | None, anchors, intermediates, crls,
           revocation_required: bool, as_json: bool) -> None:
    """Verify the XML signature(s) of each FILE; exit 0 PASSED, 1 FAILED, 2 INDETERMINATE.

    One file prints its whole report. Several files are checked against one trust load,
    each on a line of its own ("FILE: VERDICT"), and the exit code is that of the worst
    verdict (FAILED over INDETERMINATE over PASSED).
    """
    from app.xmlsig.trust_store import load_policy
    from app.xmlsig.verifier import verify_bytes

    try:
        policy = load_policy(anchors=list(anchors), intermediates=list(intermediates),
                             crls=list(crls), revocation_required=revocation_required)
    except XmlSigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_CONFIGURATION)
    moment = _moment(at)
    worst = Indication.PASSED
    for file in files:
        report = verify_bytes(file.read_bytes(), policy=policy, at=moment).report
        _warn_if_slow(report)
        worst = max(worst, report.indication, key=SEVERITY.index)
        if as_json:
            document = report.to_dict()
            if len(files) == 1:
                click.echo(json.dumps(document, ensure_ascii=False, indent=2))
            else:
                click.echo(json.dumps({"file": str(file), **document}, ensure_ascii=False))
        elif len(files) == 1:
            click.echo(render_report(report, name=str(file)))
        else:
            click.echo(_verdict_line(report, name=str(file)))
    sys.exit(EXIT_CODES[worst])


def _verdict_line(report: VerificationReport, *, name: str) -> str:
    return f"{name}: {report.indication.value}" + (
        f" / {report.sub_indication.value}" if report.sub_indication else "")


def _warn_if_slow(report: VerificationReport) -> None:
    if not any((s.algorithm or "").startswith(("GOST", "ГОСТ")) for s in report.signatures):
        return
    from app.xmlsig.gost import fast_path_warning

    if warning := fast_path_warning():
        click.echo(f"Warning: {warning}", err=True)


def render_report(report: VerificationReport, *, name: str) -> str:
    lines = [_verdict_line(report, name=name),
             f"checked as of {report.checked_at.isoformat()}"]
    for check in report.document_checks:
        lines.append(_check_line(check))
    for signature in report.signatures:
        lines.append("")
        lines.append(f"signature {signature.index + 1} ({signature.algorithm or 'unknown'}): "
                     f"{signature.indication.value}")
        if signature.signer:
            s = signature.signer
            who = " ".join(p for p in (s.common_name, s.given_name) if p)
            ids = ", ".join(f"{k} {v}" for k, v in (("IIN", s.iin), ("BIN", s.bin)) if v)
            lines.append(f"  signer: {who}" + (f" ({ids})" if ids else ""))
            lines.append(f"  issuer: {s.issuer}")
            lines.append(f"  valid:  {s.not_before.isoformat()} .. {s.not_after.isoformat()}")
        for check in signature.checks:
            lines.append("  " + _check_line(check))
    return "\n".join(lines)


def _check_line(check) -> str:
    detail = f": {check.detail}" if check.detail else ""
    return f"{_MARKS[check.outcome]} {check.code.value} {check.outcome.value}{detail}"
