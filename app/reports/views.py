"""The reports: executive discipline (page with its chart, CSV, XLSX) and the journal of
registration (page, PDF, XLSX). Heads see their departments and those below, the
administrator everything (``report_scope``)."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.errors import Refused
from app.reports import words
from app.reports.chart import bar_chart
from app.reports.discipline import Period, Report, discipline_report
from app.reports.export import Heading, journal_pdf, journal_table, report_table, to_csv, to_xlsx
from app.reports.forms import PeriodForm, default_period
from app.reports.instructions import instruction_counts
from app.reports.journal import (
    MAX_JOURNAL_ROWS,
    MAX_PRINTED_ROWS,
    JournalRow,
    journal_count,
    journal_rows,
)
from app.settings import current_settings
from app.timeutil import day_text, local, utcnow
from app.web.helpers import format_moment, locale_code, outcome_label
from app.web.kinds import KIND_LABELS
from app.workflow.deadlines import DeadlineRules
from app.workflow.permissions import report_scope

bp = Blueprint("reports", __name__, url_prefix="/reports")

#: the part labels of the chart: the figures, and "in work, not overdue"
_CHART_LABELS = {"in_time_in_work": words.FIGURE_LABELS["in_work"]}


def _today() -> date:
    return DeadlineRules.of(current_settings()).today(utcnow())


def _period_form() -> tuple[PeriodForm, Period | None]:
    """The period asked for (this month by default); None with the form's errors."""
    args = MultiDict(request.args)
    start, end = default_period(_today())
    args.setdefault("start", start.isoformat())
    args.setdefault("end", end.isoformat())
    form = PeriodForm(args)
    if not form.validate():
        return form, None
    return form, Period(form.start.data, form.end.data, current_settings().body.zone)


def _kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def _labels() -> dict[str, str]:
    labels = {key: str(text) for key, text in words.FIGURE_LABELS.items()}
    labels["in_time_in_work"] = _("In work, on time")
    return labels


def _report(period: Period) -> Report:
    return discipline_report(period, today=_today(), scope=report_scope(current_user),
                             kind_label=_kind_label, unrouted_label=str(words.NOT_ROUTED),
                             unassigned_label=str(words.NOT_ASSIGNED),
                             language=locale_code())


def _heading(title: str, period: Period) -> Heading:
    return Heading(
        title=title, body=current_settings().body.name_in(locale_code()),
        period=_("Period: %(start)s – %(end)s", start=day_text(period.start),
                 end=day_text(period.end)),
        made=_("Made %(moment)s by %(person)s", moment=format_moment(utcnow()),
               person=current_user.full_name))


def _download(data: bytes, name: str, media_type: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _file_name(stem: str, period: Period, extension: str) -> str:
    return f"{stem}-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"


@bp.get("/")
@login_required
def discipline():
    report_scope(current_user)  # refuses before any work
    form, period = _period_form()
    report = _report(period) if period else None
    labels = _labels()
    chart = None
    if report is not None:
        # the departments at the top of what the reader sees, and the ones right below
        shown = [line for line in report.departments if line.depth <= 1]
        chart = bar_chart(shown, labels=labels, title=str(words.REPORT_TITLE))
    instructions = instruction_counts(period, scope=report_scope(current_user),
                                      language=locale_code()) if period else []
    return render_template("reports/discipline.html", form=form, report=report, chart=chart,
                           labels=labels, sections=words.SECTION_LABELS, total=words.TOTAL,
                           query=request.query_string.decode(), instructions=instructions)


def _report_rows(report: Report) -> list:
    return report_table(report, labels=_labels(),
                        sections={k: str(v) for k, v in words.SECTION_LABELS.items()},
                        total=str(words.TOTAL), name_heading="")


def _period_or_refuse() -> Period:
    form, period = _period_form()
    if period is None:
        errors = [str(e) for field in form for e in field.errors]
        raise Refused(" ".join(errors), code="bad_period")
    return period


@bp.get("/discipline.csv")
@login_required
def discipline_csv():
    report_scope(current_user)
    period = _period_or_refuse()
    report = _report(period)
    data = to_csv(_heading(str(words.REPORT_TITLE), period), _report_rows(report))
    return _download(data, _file_name("discipline", period, "csv"), "text/csv")


@bp.get("/discipline.xlsx")
@login_required
def discipline_xlsx():
    report_scope(current_user)
    period = _period_or_refuse()
    report = _report(period)
    sections = {str(v) for v in words.SECTION_LABELS.values()}
    data = to_xlsx(_heading(str(words.REPORT_TITLE), period), _report_rows(report),
                   sheet=_("Discipline"),
                   bold_rows=lambda row: bool(row) and (row[0] in sections or row[0] == ""))
    return _download(data, _file_name("discipline", period, "xlsx"), _XLSX)


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the journal of registration -----------------------------------------------------------


def _outcome_or_state(row: JournalRow) -> str:
    if row.outcome:
        return outcome_label(row.outcome)
    return str(row.state.label)


def _moment(at: datetime) -> datetime:
    return local(at, current_settings().body.zone)


def _journal(period: Period, *, limit: int = MAX_JOURNAL_ROWS
             ) -> tuple[list[JournalRow], list]:
    rows = journal_rows(period, scope=report_scope(current_user, journal=True), limit=limit)
    table = journal_table(rows, headings=[str(text) for _key, text in words.JOURNAL_HEADINGS],
                          kind_label=_kind_label, outcome_label=_outcome_or_state,
                          moment=_moment)
    return rows, table


#: the page shows the first rows; the files hold them all
_PREVIEW = 200


@bp.get("/journal")
@login_required
def journal():
    scope = report_scope(current_user, journal=True)
    form, period = _period_form()
    rows = journal_rows(period, scope=scope, first=_PREVIEW) if period else []
    count = journal_count(period, scope=scope) if period else 0
    return render_template("reports/journal.html", form=form, rows=rows,
                           count=count, preview=_PREVIEW, kind_label=_kind_label,
                           outcome_of=_outcome_or_state,
                           query=request.query_string.decode())


@bp.get("/journal.pdf")
@login_required
def journal_as_pdf():
    report_scope(current_user, journal=True)
    period = _period_or_refuse()
    table = _journal(period, limit=MAX_PRINTED_ROWS)[1]
    data = journal_pdf(_heading(str(words.JOURNAL_TITLE), period), table)
    return _download(data, _file_name("journal", period, "pdf"), "application/pdf")


@bp.get("/journal.xlsx")
@login_required
def journal_as_xlsx():
    report_scope(current_user, journal=True)
    period = _period_or_refuse()
    table = _journal(period)[1]
    data = to_xlsx(_heading(str(words.JOURNAL_TITLE), period), table, sheet=_("Journal"),
                   bold_rows=lambda row: row is table[0])
    return _download(data, _file_name("journal", period, "xlsx"), _XLSX)
