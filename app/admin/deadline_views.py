"""The administrator's deadline rules (``/admin/deadline-rules``) and calendar of the
government's day swaps (``/admin/calendar``). Every change recomputes the legal deadline
of the open documents it moves (app/deadlines/service.py) and is chained into the audit
log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.admin.deadline_forms import CalendarDayForm, DeadlineRuleForm
from app.admin.views import bp
from app.auth.models import Role
from app.auth.session import roles_required
from app.deadlines.models import CalendarDay
from app.deadlines.rules import KINDS, TRANSLATED, Rule, StartEvent, Unit
from app.deadlines.service import (
    load_rules,
    remove_calendar_day,
    save_rule,
    set_calendar_day,
)
from app.extensions import db
from app.settings import current_settings
from app.timeutil import utcnow
from app.web.acting import act
from app.web.forms import ConfirmForm
from app.web.helpers import locale_code
from app.workdays import public_holidays


def _save(form, run: Callable[[], int], *, done: str, back: str,
          render: Callable[[], Any]):
    """Validate, run in one unit of work, say what happened and how many deadlines moved,
    go back to the page; a refused form comes back as typed, each message by its field."""
    return act(form, run, done=lambda moved: _recomputed(done, moved),
               back=url_for(back), render=render) or redirect(url_for(back))


def _kind_choices() -> list[tuple[str, str]]:
    from app.formats.choices import AppealType, ApplicationKind

    labelled = {m.value: _(m.label) for m in (*AppealType, *ApplicationKind)}
    return [(kind, f"{labelled.get(kind, kind)} ({kind})") for kind in KINDS]


def _unit_choices() -> list[tuple[str, str]]:
    words = {Unit.WORKING_DAYS: _("working days"), Unit.CALENDAR_DAYS: _("calendar days"),
             Unit.MONTHS: _("months")}
    return [(u.value, words[u]) for u in Unit]


def _event_choices() -> list[tuple[str, str]]:
    words = {StartEvent.REGISTRATION: _("the day of registration"),
             StartEvent.ARRIVAL: _("the day of arrival")}
    return [(e.value, words[e]) for e in StartEvent]


def _rule_form(rule: Rule | None = None, *, prefix: str = "",
               posted: bool = False) -> DeadlineRuleForm:
    """A rule's form: ``rule``'s values, or (``posted``) what the request holds."""
    data = None
    if rule is not None and not posted:
        data = {"code": rule.code, "kind": rule.kind, "period": rule.period,
                "unit": rule.unit.value, "starts_on": rule.starts_on.value,
                "start_day_counts": rule.start_day_counts, "citation": rule.citation,
                "note": rule.note, "valid_from": rule.valid_from,
                **{name: getattr(rule, name) for name in TRANSLATED}}
    if posted:
        form = DeadlineRuleForm(prefix=prefix)
    else:
        form = DeadlineRuleForm(formdata=None, data=data, prefix=prefix)
    form.kind.choices = _kind_choices()
    form.unit.choices = _unit_choices()
    form.starts_on.choices = _event_choices()
    return form


@bp.get("/deadline-rules")
@roles_required(Role.ADMIN)
def deadline_rules():
    return _rules_page()


def _rules_page(posted: DeadlineRuleForm | None = None, prefix: str = ""):
    """The rules and their forms; ``posted``: the form of prefix ``prefix`` ("" the new
    rule's, "r-<code>" a rule's own) as the administrator sent it, shown open."""
    rules = sorted(load_rules().rules, key=lambda r: (KINDS.index(r.kind), r.valid_from))
    forms = {r.code: _rule_form(r, prefix=f"r-{r.code}") for r in rules}
    add_form = _rule_form()
    if posted is not None and prefix:
        forms[prefix.removeprefix("r-")] = posted
    elif posted is not None:
        add_form = posted
    return render_template(
        "admin/deadline_rules.html", rules=rules, forms=forms, add_form=add_form,
        open_rule=prefix.removeprefix("r-") if posted is not None else None,
        kinds=dict(_kind_choices()), units=dict(_unit_choices()),
        events=dict(_event_choices()))


@bp.post("/deadline-rules")
@roles_required(Role.ADMIN)
def save_deadline_rule():
    prefix = request.form.get("prefix", "")
    if prefix and not prefix.startswith("r-"):
        abort(400)
    form = _rule_form(prefix=prefix, posted=True)
    settings = current_settings()

    def run():
        _row, moved = save_rule(
            {"code": form.code.data.strip(), "kind": form.kind.data,
             "period": form.period.data, "unit": form.unit.data,
             "starts_on": form.starts_on.data, "start_day_counts": form.start_day_counts.data,
             "citation": form.citation.data, "note": form.note.data or "",
             "valid_from": form.valid_from.data,
             **{name: getattr(form, name).data or "" for name in TRANSLATED}},
            admin=current_user, now=utcnow(), calendar=settings.calendar,
            hours=settings.working_hours)
        return moved

    return _save(form, run, done=_("The rule is saved."),
                 back=".deadline_rules", render=lambda: _rules_page(form, prefix))


def _recomputed(what: str, moved: int) -> str:
    return what + " " + ngettext("The deadline of %(num)d open document moved.",
                                 "The deadlines of %(num)d open documents moved.", moved)


def _calendar_form(*, posted: bool = False) -> CalendarDayForm:
    form = CalendarDayForm() if posted else CalendarDayForm(formdata=None)
    form.working.choices = [("0", _("a day off")), ("1", _("a working day"))]
    return form


@bp.get("/calendar")
@roles_required(Role.ADMIN)
def calendar():
    year = request.args.get("year", type=int) or utcnow().year
    if not 2000 <= year <= 2100:
        abort(404)
    return _calendar_page(_calendar_form(), year=year)


def _calendar_page(form: CalendarDayForm, *, year: int):
    settings = current_settings()
    days = list(db.session.scalars(select(CalendarDay).order_by(CalendarDay.day)))
    return render_template(
        "admin/calendar.html", form=form, delete_form=ConfirmForm(), days=days,
        year=year, holidays=public_holidays(year, locale_code()),
        configured=sorted(settings.calendar.swaps().items()), hours=settings.working_hours)


@bp.post("/calendar")
@roles_required(Role.ADMIN)
def add_calendar_day():
    form = _calendar_form(posted=True)
    settings = current_settings()
    typed = form.day.data
    year = typed.year if typed and 2000 <= typed.year <= 2100 else utcnow().year
    return _save(form, lambda: set_calendar_day(
        form.day.data, working=form.working.data == "1", note=form.note.data or "",
        admin=current_user, now=utcnow(), calendar=settings.calendar,
        hours=settings.working_hours),
        done=_("The calendar is changed."),
        back=".calendar", render=lambda: _calendar_page(form, year=year))


@bp.post("/calendar/<day>/delete")
@roles_required(Role.ADMIN)
def delete_calendar_day(day: str):
    try:
        which = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if db.session.scalar(select(CalendarDay).where(CalendarDay.day == which)) is None:
        abort(404)
    settings = current_settings()
    back = url_for(".calendar")
    return act(ConfirmForm(), lambda: remove_calendar_day(
        which, admin=current_user, now=utcnow(), calendar=settings.calendar,
        hours=settings.working_hours),
        done=lambda moved: _recomputed(_("The day swap is removed."), moved),
        back=back) or redirect(back)
