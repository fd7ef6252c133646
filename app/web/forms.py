"""Form pieces every desk form shares."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

#: what XML 1.0 cannot carry (and PostgreSQL text cannot hold: NUL); tab, LF, CR stay
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value):
    """Text typed or pasted into a form, without the control characters that would make
    the signed letter unreadable or the database refuse the row. Line breaks become LF:
    browsers send CRLF, and a length limit (like the textarea's maxlength the user saw)
    counts a line break once."""
    if not isinstance(value, str):
        return value
    return _NOT_IN_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


class CleanForm(FlaskForm):
    """Every text field of every desk form passes through ``clean_text``."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # a password is taken exactly as typed
            if issubclass(field_class, (StringField, TextAreaField)) and not issubclass(
                    field_class, PasswordField):
                options["filters"] = (*options.get("filters", ()), clean_text)
            return unbound_field.bind(form=form, **options)


class DocumentActionForm(CleanForm):
    """Carries the document version the page was rendered from (optimistic locking)."""

    version = IntegerField(validators=[DataRequired()])


def confirmation():
    """The box an irreversible action (refusing registration, leaving without
    consideration, redirecting, reopening, signing) needs ticked, checked on the server:
    one stray click must not do what cannot be undone."""
    return BooleanField(_l("I confirm: this cannot be undone"), validators=[DataRequired(
        message=_l("tick the box to confirm; nothing has been done"))])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def optional_int(value):
    """Coerce for a select whose first option is an empty "—": None until one is chosen."""
    if value in (None, ""):
        return None
    return int(value)


class AtLeastOne(DataRequired):
    """At least one box of a ``MultiCheckboxField`` ticked, checked by the server: unlike
    ``DataRequired`` it sets no ``required`` flag, which the browser would read as "every
    box must be ticked"."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (co-executors, roles)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def form_problems(form, only: tuple[str, ...] | None = None) -> str:
    """Each field's errors under its label (of the ``only`` fields, if given), for a flash
    message."""
    return ", ".join(f"{form[name].label.text}: {'; '.join(str(error) for error in errors)}"
                     for name, errors in form.errors.items()
                     if name in form._fields and (only is None or name in only))


def set_anew(field, value) -> None:
    """Give a posted field a new value: a field renders what was posted (its raw data)
    before its data, so both are set (a form shown again at the current version)."""
    field.data = value
    field.raw_data = None
