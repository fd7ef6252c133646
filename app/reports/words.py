"""The report's words, once: the page, the chart and the exports share them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FIGURE_LABELS = {
    "received": _l("Received in the period"),
    "on_time": _l("Answered on time"),
    "late": _l("Answered late"),
    "in_work": _l("In work"),
    "overdue": _l("Overdue now"),
    "extended": _l("Extended"),
    "redirected": _l("Redirected"),
    "left": _l("Left without consideration"),
    "satisfied": _l("Satisfied"),
    "refused": _l("Refused"),
    "explained": _l("Explained"),
    "average_days": _l("Average days to answer"),
}

SECTION_LABELS = {
    "departments": _l("By department (with the departments below)"),
    "executors": _l("By executor"),
    "kinds": _l("By kind"),
    "instructions": _l("Resolutions by standard instruction"),
}

REPORT_TITLE = _l("Executive discipline report")
JOURNAL_TITLE = _l("Journal of registration")
NOT_ROUTED = _l("Not routed to a department yet")
NOT_ASSIGNED = _l("No executor yet")
TOTAL = _l("Total")

JOURNAL_HEADINGS = (
    ("number", _l("Registration number")),
    ("registered", _l("Registered")),
    ("author", _l("Author")),
    ("kind", _l("Kind")),
    ("executor", _l("Executor")),
    ("deadline", _l("Deadline")),
    ("outcome", _l("Outcome or status")),
)
