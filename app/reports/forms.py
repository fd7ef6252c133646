"""The period a report covers, read from the query string (a report is a GET: it can be
bookmarked and its exports linked)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form
from wtforms.validators import InputRequired, ValidationError

#: longer periods are asked for in parts (a year is the longest a report reads at once)
MAX_DAYS = 3 * 366


class PeriodForm(Form):
    start = DateField(_l("First day"), validators=[InputRequired(_l("Give the first day."))])
    end = DateField(_l("Last day"), validators=[InputRequired(_l("Give the last day."))])

    def validate_end(self, field):
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The last day is before the first."))
            if (field.data - self.start.data).days > MAX_DAYS:
                raise ValidationError(_l("A report covers at most %(days)s days.",
                                         days=MAX_DAYS))


def default_period(today: date) -> tuple[date, date]:
    """From the first day of this month to today."""
    return today.replace(day=1), today
