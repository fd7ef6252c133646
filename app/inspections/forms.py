from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import CleanForm, optional_int


class ScheduleForm(CleanForm):
    inspector = SelectField(_l("Inspector"), coerce=optional_int, validators=[DataRequired()])
    day = DateField(_l("Day of the visit"), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
