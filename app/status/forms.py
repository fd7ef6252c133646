"""The public status form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class StatusForm(FlaskForm):
    number = StringField(_l("Registration number"),
                         validators=[InputRequired(_l("Give the registration number.")),
                                     Length(max=64)])
    identifier = StringField(_l("IIN or BIN of the author"),
                             validators=[InputRequired(_l("Give the IIN or BIN.")),
                                         Length(max=12)])
