from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password (at least 8 characters)"),
                        validators=[DataRequired(), Length(min=8, max=200)])
    repeat = PasswordField(_l("The new password again"),
                           validators=[DataRequired(), EqualTo("new")])


class NotificationSettingsForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])
    email_notifications = BooleanField(_l("E-mail me my notifications"))
