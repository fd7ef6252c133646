from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import DocumentActionForm, MultiCheckboxField, confirmation, optional_int


def standard_instruction() -> SelectField:
    """A choice of the office's standard instructions (app/catalogues/): the page's script
    puts its text into the instruction, and without a script an empty instruction takes
    it."""
    return SelectField(_l("Standard instruction"), coerce=optional_int, validate_choice=False,
                       validators=[Optional()])


class SendToResolutionForm(DocumentActionForm):
    department = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])


class PassDownForm(DocumentActionForm):
    # an empty "—" first: no department is pre-selected, the head picks one
    department = SelectField(_l("Subordinate department"), coerce=optional_int,
                             validators=[DataRequired()])
    standard = standard_instruction()
    instruction = TextAreaField(_l("Instruction"), validators=[Length(max=4000)])


class AssignForm(DocumentActionForm):
    executor = SelectField(_l("Responsible executor"), coerce=optional_int,
                           validators=[DataRequired()])
    coexecutors = MultiCheckboxField(_l("Co-executors"), coerce=int, validators=[Optional()])
    due_date = DateField(_l("Deadline"), validators=[DataRequired()])
    standard = standard_instruction()
    instruction = TextAreaField(_l("Instruction"), validators=[Length(max=4000)])
    extension_reason = TextAreaField(_l("Why the deadline is later than proposed"),
                                     validators=[Length(max=4000)])


class RedirectForm(DocumentActionForm):
    # from the directory (app/catalogues/); "—" and the two fields below: a body not in it
    body = SelectField(_l("State body"), coerce=optional_int, validate_choice=False,
                       validators=[Optional()])
    body_code = StringField(_l("Code of the state body"),
                            validators=[Optional(), Length(max=64)])
    body_name = StringField(_l("Name of the state body"),
                            validators=[Optional(), Length(max=500)])
    reason = TextAreaField(_l("Why it is not within our competence"),
                           validators=[Length(max=4000)])
    confirm = confirmation()


class LeaveForm(DocumentActionForm):
    reason = TextAreaField(_l("Reason (the author is told)"),
                           validators=[DataRequired(), Length(max=4000)])
    confirm = confirmation()


class DeadlineForm(DocumentActionForm):
    due_date = DateField(_l("New deadline"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why the deadline changes (required when it is later)"),
                           validators=[Length(max=4000)])
