"""The inbox's list as the clerk filtered it, read from a query string: the inbox itself
reads its own, the document page reads the one the clerk came from (``?list=``), so
previous / next walk the same list."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.documents.states import DocumentState
from app.registration.forms import InboxFilterForm
from app.registration.queries import InboxFilter
from app.web.kinds import KIND_LABELS
from app.web.labels import LABELS
from app.xmlsig.report import Indication

#: a list's query string longer than this is not one the inbox wrote
MAX_LIST = 1000


def _known(value: str | None, enum_class) -> str:
    """A filter value only if it is one of the enum's; anything else filters nothing."""
    return value if value in {m.value for m in enum_class} else ""


def inbox_form(args) -> InboxFilterForm:
    form = InboxFilterForm(args)
    form.kind.choices = [("", _("All kinds"))] + [(k, str(v)) for k, v in KIND_LABELS.items()]
    form.state.choices = [("", _("All statuses"))] + [
        (s.value, str(s.label)) for s in DocumentState
    ]
    form.indication.choices = [("", _("Any verdict"))] + [
        (i.value, LABELS.indication(i.value)) for i in Indication
    ]
    form.validate()
    return form


def inbox_filter(form: InboxFilterForm, args, *, zone: str) -> InboxFilter:
    """The filter the form says; without "show=all", only what is still to do."""
    return InboxFilter(
        todo=args.get("show") != "all",
        q=form.q.data or "",
        kind=form.kind.data or "",
        state=_known(form.state.data, DocumentState),
        indication=_known(form.indication.data, Indication),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        zone=zone,
    )


def list_args(args) -> str:
    """The inbox's query string without its page cursor: what names the list."""
    return urlencode([(k, v) for k, v in args.items(multi=True) if k != "after" and v])


def filter_of_list(raw: str, *, zone: str) -> InboxFilter:
    """The filter a ``?list=`` names ("" is the to-do list)."""
    args = MultiDict(parse_qsl(raw[:MAX_LIST]))
    return inbox_filter(inbox_form(args), args, zone=zone)
