"""``qujat deadline``: the legal deadline of a document of a kind arriving at a time.

It needs no configuration file, trust store or database: the shipped rules, the body's
default working hours and the public calendar, with the day swaps given as options on top.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import click


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from exc


@click.command("deadline")
@click.argument("kind")
@click.option("--arrived", required=True, metavar="TIME",
              help="When the document arrives: ISO 8601, with an offset; a time without one "
                   "is the body's (Asia/Almaty).")
@click.option("--day-off", "days_off", multiple=True, metavar="DATE",
              help="A day the government made a day off (repeatable).")
@click.option("--working-day", "working_days", multiple=True, metavar="DATE",
              help="A weekend day the government made a working day (repeatable).")
@click.option("--hours", default="09:00-18:30", show_default=True,
              help="The body's working hours; an arrival at the end or later is registered "
                   "on the next working day.")
@click.option("--zone", default="Asia/Almaty", show_default=True, help="The body's time zone.")
def deadline(kind: str, arrived: str, days_off: tuple[str, ...],
             working_days: tuple[str, ...], hours: str, zone: str) -> None:
    """Print, as JSON, when a document of KIND arriving at TIME is registered and due, and
    by which rule. KIND is an appeal type or application kind (statement, complaint,
    licence_new, sanitary_notification, ...)."""
    from app.deadlines.compute import WorkingHours, compute_deadline
    from app.deadlines.rules import NoRuleInForce, UnknownKind, shipped_rules
    from app.workdays import Calendar

    try:
        moment = datetime.fromisoformat(arrived)
    except ValueError as exc:
        raise click.BadParameter(f"{arrived!r} is not an ISO 8601 time",
                                 param_hint="--arrived") from exc
    try:
        office = WorkingHours.parse(hours, zone)
    except (ValueError, LookupError) as exc:
        raise click.BadParameter(str(exc), param_hint="--hours/--zone") from exc
    calendar = Calendar(days_off=[_date(d) for d in days_off],
                        working_days=[_date(d) for d in working_days])
    try:
        result = compute_deadline(kind, moment, rules=shipped_rules(), calendar=calendar,
                                  hours=office)
    except UnknownKind as exc:
        raise click.ClickException(
            f"unknown kind {kind!r}; known kinds: {', '.join(exc.known)}") from exc
    except NoRuleInForce as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
