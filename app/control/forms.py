from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import DocumentActionForm, confirmation, optional_int

#: a reason goes into the author's signed mark or the executor's answer: a few lines
REASON_LENGTH = 2000


class ExtendForm(DocumentActionForm):
    due_date = DateField(_l("New deadline"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason of the extension (the author is told)"),
                           validators=[DataRequired(), Length(max=REASON_LENGTH)])
    #: the executor's request this decision grants, if any
    request = HiddenField(filters=[optional_int], validators=[Optional()])
    confirm = confirmation()


class RequestExtensionForm(DocumentActionForm):
    due_date = DateField(_l("Deadline asked for"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why more time is needed"),
                           validators=[DataRequired(), Length(max=REASON_LENGTH)])


class RefuseExtensionForm(DocumentActionForm):
    reason = TextAreaField(_l("Why the request is refused (the executor reads it)"),
                           validators=[DataRequired(), Length(max=REASON_LENGTH)])


class SuspendForm(DocumentActionForm):
    reason = TextAreaField(_l("Ground of the suspension (what is awaited, from whom)"),
                           validators=[DataRequired(), Length(max=REASON_LENGTH)])


class ResumeForm(DocumentActionForm):
    reason = TextAreaField(_l("Comment (e.g. the answer received)"),
                           validators=[Length(max=REASON_LENGTH)])
