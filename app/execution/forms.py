from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import CleanForm, DocumentActionForm, confirmation


class DraftForm(CleanForm):
    draft_version = IntegerField(validators=[Optional()])
    outcome = SelectField(_l("Outcome"), validators=[Optional()])
    text = TextAreaField(_l("Answer (on the merits, reasoned)"),
                         validators=[Length(max=100_000)])
    legal_basis = TextAreaField(_l("Legal norms the answer rests on"),
                                validators=[Length(max=10_000)])
    appeal_procedure = TextAreaField(_l("How the decision can be appealed"),
                                     validators=[Length(max=10_000)])
    refusal_grounds = TextAreaField(
        _l("Grounds of a refusal or a negative conclusion (one per line)"),
        validators=[Length(max=10_000)])
    #: "Submit for approval" belongs to this form: the document version and the
    #: acknowledgement of the law's softer checks travel with the text on the screen
    version = IntegerField(validators=[Optional()])
    acknowledge = BooleanField(_l("I have read the warnings and submit the answer as it is"))


class PartForm(CleanForm):
    text = TextAreaField(_l("Your part of the answer"),
                         validators=[DataRequired(), Length(max=50_000)])


class FileForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])


class SubmitForm(DocumentActionForm):
    acknowledge = BooleanField(_l("I have read the warnings and submit the answer as it is"))


class ApproveForm(DocumentActionForm):
    signer = SelectField(_l("Signing official"), coerce=int, validators=[DataRequired()])
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=4000)])


class ReturnForm(DocumentActionForm):
    remarks = TextAreaField(_l("What must be reworked"),
                            validators=[DataRequired(), Length(max=4000)])


class SignForm(DocumentActionForm):
    key = FileField(_l("Your key (PKCS#12, .p12)"), validators=[FileRequired()])
    password = PasswordField(_l("Key password"), validators=[DataRequired(), Length(max=200)])
    confirm = confirmation()


class RefuseSignatureForm(DocumentActionForm):
    remarks = TextAreaField(_l("Why you do not sign"),
                            validators=[DataRequired(), Length(max=4000)])
