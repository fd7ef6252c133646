"""Form pieces every document action shares."""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import DataRequired


class DocumentActionForm(FlaskForm):
    """Carries the document version the page was rendered from (optimistic locking)."""

    version = IntegerField(validators=[DataRequired()])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def optional_int(value):
    """Coerce for a select whose first option is an empty "—": None until one is chosen."""
    if value in (None, ""):
        return None
    return int(value)
