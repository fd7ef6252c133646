from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.formats.choices import RefusalReason
from app.web.forms import CleanForm, confirmation
from app.web.helpers import locale_code


class RegisterForm(FlaskForm):
    version = IntegerField(validators=[DataRequired()])
    confirm_indeterminate = BooleanField(
        _l("I have read the report and register the document despite the undecided check")
    )


class RefuseForm(CleanForm):
    version = IntegerField(validators=[DataRequired()])
    reason = SelectField(_l("Reason"), validators=[DataRequired()])
    text = TextAreaField(_l("Explanation for the author"), validators=[Length(max=4000)])
    confirm = confirmation()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", "—")] + RefusalReason.choices(locale_code())


class InboxFilterForm(FlaskForm):
    """Filters travel in the query string: a GET form, so no CSRF token is needed."""

    class Meta:
        csrf = False

    q = StringField(_l("Number, IIN/BIN or name"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    state = SelectField(_l("Status"), validators=[Optional()])
    indication = SelectField(_l("Signature"), validators=[Optional()])
    date_from = DateField(_l("Received from"), validators=[Optional()])
    date_to = DateField(_l("Received until"), validators=[Optional()])
    after = HiddenField()
