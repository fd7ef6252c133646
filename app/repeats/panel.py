"""What the repeats put on the document page: the author's earlier appeals on a similar
subject (to link), the links kept both ways, and the reason offered to leave a repeat of
an answered appeal without consideration."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.auth.models import User
from app.documents.models import Document
from app.repeats.service import answered_on_the_merits, earlier_similar, links_to
from app.web.forms import ConfirmForm
from app.workflow.permissions import Task, can_see, may


def repeats_panel(doc: Document, user: User) -> dict[str, Any]:
    earlier = [e for e in earlier_similar(doc) if can_see(user, e.document)]
    later = [link for link in links_to(doc) if can_see(user, link.document)]
    if not earlier and not later:
        return {}
    out: dict[str, Any] = {"repeats_earlier": earlier, "repeats_later": later}
    if may(user, Task.LINK_REPEAT, doc):
        out["repeat_form"] = ConfirmForm()
    return out


def leave_reason(doc: Document) -> str:
    """The reason offered to leave a repeat without consideration, "" when there is none."""
    earlier = answered_on_the_merits(doc)
    if earlier is None:
        return ""
    letter = earlier.letters[-1]
    return _("A repeat appeal: the same question was answered on the merits in letter "
             "No. %(letter)s of %(date)s (to the appeal No. %(number)s), and the new appeal "
             "gives no new arguments; it is left without consideration under the "
             "Administrative Procedural Code of the Republic of Kazakhstan.",
             letter=letter.outgoing_number, date=letter.outgoing_date.strftime("%d.%m.%Y"),
             number=earlier.registration_number or earlier.id)


