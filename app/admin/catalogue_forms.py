"""The forms of the standard instructions and the directory of state bodies."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.web.forms import CleanForm

_CODE = Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
               message=_l("Latin letters, digits, dots, hyphens and underscores"))


class InstructionForm(CleanForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), _CODE])
    text_ru = StringField(_l("Text in Russian"), validators=[DataRequired(), Length(max=500)])
    text_kk = StringField(_l("Text in Kazakh"), validators=[DataRequired(), Length(max=500)])
    text_en = StringField(_l("Text in English"), validators=[Optional(), Length(max=500)])
    position = IntegerField(_l("Order"), default=100,
                            validators=[DataRequired(), NumberRange(min=1, max=10000)])
    active = BooleanField(_l("Offered in the resolution form"), default=True)


class StateBodyForm(CleanForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64), _CODE])
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=500)])
    name_kk = StringField(_l("Name in Kazakh"), validators=[DataRequired(), Length(max=500)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=500)])
    bin = StringField(_l("BIN"), validators=[Optional(), Length(max=12)])
    active = BooleanField(_l("Offered for redirection"), default=True)
