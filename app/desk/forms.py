from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.web.forms import DocumentActionForm, confirmation


class ReopenForm(DocumentActionForm):
    reason = TextAreaField(_l("Why it is reopened"), validators=[DataRequired(), Length(max=4000)])
    confirm = confirmation()
