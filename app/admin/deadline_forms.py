"""The forms of the deadline rules and the calendar of day swaps."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.web.forms import CleanForm


class DeadlineRuleForm(CleanForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=64),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("lower-case letters, digits and hyphens"))])
    kind = SelectField(_l("Document kind"), validators=[DataRequired()])
    period = IntegerField(_l("Period"), validators=[DataRequired(), NumberRange(min=1, max=366)])
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    starts_on = SelectField(_l("Counted from"), validators=[DataRequired()])
    start_day_counts = BooleanField(_l("That day itself counts"))
    citation = StringField(_l("Legal citation"), validators=[DataRequired(), Length(max=500)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=4000)])
    citation_kk = StringField(_l("Legal citation in Kazakh"),
                              validators=[Optional(), Length(max=500)])
    note_kk = TextAreaField(_l("Note in Kazakh"), validators=[Optional(), Length(max=4000)])
    citation_en = StringField(_l("Legal citation in English"),
                              validators=[Optional(), Length(max=500)])
    note_en = TextAreaField(_l("Note in English"), validators=[Optional(), Length(max=4000)])
    valid_from = DateField(_l("In force from"), validators=[DataRequired()])


class CalendarDayForm(CleanForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    #: "0" a day off, "1" a working day (choices set by the view)
    working = SelectField(_l("The day becomes"), validators=[DataRequired()])
    note = StringField(_l("Decree or reason"), validators=[Optional(), Length(max=300)])
