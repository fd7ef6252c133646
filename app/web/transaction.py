"""One unit of work per request: commit at the end, roll back on any error."""

from __future__ import annotations

from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.errors import StaleDocument
from app.extensions import db


@contextmanager
def unit_of_work():
    """Commit what the block did; a concurrent change detected by the version column
    becomes StaleDocument, so the user reads "changed meanwhile", not a 500."""
    try:
        yield db.session
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleDocument(
            _l("The document was changed meanwhile; reload it and try again.")
        ) from exc
    except BaseException:
        db.session.rollback()
        raise
