"""Linking a document as the repeat of an earlier one."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.repeats.service import link_repeat
from app.timeutil import utcnow
from app.web.acting import perform, visible_document
from app.web.forms import ConfirmForm

bp = Blueprint("repeats", __name__)


@bp.post("/documents/<int:document_id>/repeats/<int:earlier_id>")
@login_required
def link(document_id: int, earlier_id: int):
    doc = visible_document(document_id)
    earlier = visible_document(earlier_id)
    return perform(doc, ConfirmForm(), lambda: link_repeat(
        doc, earlier, actor=current_user, now=utcnow()),
        done=_("Linked as a repeat of %(number)s.",
               number=earlier.registration_number or earlier.id))
