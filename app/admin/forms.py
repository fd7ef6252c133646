from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.web.forms import AtLeastOne, CleanForm, MultiCheckboxField


class RouteForm(CleanForm):
    position = IntegerField(_l("Order"), default=100,
                            validators=[DataRequired(), NumberRange(min=1, max=10_000)])
    kind = SelectField(_l("Document kind"), validators=[Optional()])
    activity = StringField(_l("Licence or activity kind contains"),
                           validators=[Optional(), Length(max=200)])
    recipient = StringField(_l("Recipient (subdivision) contains"),
                            validators=[Optional(), Length(max=200)])
    region = SelectField(_l("Region of the object"), validators=[Optional()])
    district = SelectField(_l("District of the object"), validators=[Optional()])
    department = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])


class DepartmentNamesForm(CleanForm):
    """A department's names: Russian required; Kazakh or English empty shows the Russian."""

    name = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=300)])
    name_kk = StringField(_l("Name in Kazakh"), validators=[Optional(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])


class DepartmentForm(DepartmentNamesForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    parent = SelectField(_l("Department above"), validators=[Optional()])
    head = SelectField(_l("Head"), validators=[Optional()])


class PlaceForm(CleanForm):
    user = SelectField(_l("User"), coerce=int, validators=[DataRequired()])
    department = SelectField(_l("Department"), validators=[DataRequired()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    position_kk = StringField(_l("Position in Kazakh"),
                              validators=[Optional(), Length(max=200)])
    iin = StringField(_l("IIN (officials who sign)"), validators=[Optional(), Length(max=12)])


class UserForm(CleanForm):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(min=2, max=64)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    roles = MultiCheckboxField(_l("Roles"), validators=[AtLeastOne()])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])
    password = PasswordField(_l("Password (at least 8 characters)"),
                             validators=[DataRequired(), Length(min=8, max=200)])


class AccountForm(CleanForm):
    roles = MultiCheckboxField(_l("Roles"), validators=[AtLeastOne()])
    active = BooleanField(_l("May log in"))
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Office phone (under the letters they execute)"),
                        validators=[Optional(), Length(max=40)])
    password = PasswordField(_l("New password (leave empty to keep)"),
                             validators=[Optional(), Length(min=8, max=200)])


class JournalForm(CleanForm):
    """A registration journal's number patterns: {year} and {seq} filled in."""

    pattern = StringField(_l("Number pattern"), validators=[DataRequired(), Length(max=100)])
    pattern_kk = StringField(_l("Number pattern in Kazakh (empty: the same)"),
                             validators=[Optional(), Length(max=100)])


class AddressForm(CleanForm):
    """Lets a paused client address try to log in again."""

    address = HiddenField(validators=[DataRequired(), Length(max=64)])
class AuditFilterForm(FlaskForm):
    """Filters travel in the query string: a GET form, so no CSRF token is needed."""

    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), validators=[Optional()])
    kind = SelectField(_l("What"), validators=[Optional()])
    document = IntegerField(_l("Document no."), validators=[Optional(), NumberRange(min=1)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
