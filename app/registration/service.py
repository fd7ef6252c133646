"""Registering and refusing incoming documents: plain functions over the domain.

They take the actor and the moment as arguments, flush rather than commit, and leave the
transaction to the caller (a view, a CLI command, a test).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.deadlines.service import DeadlineSetup, give_legal_deadline
from app.documents.models import Document
from app.documents.states import Action
from app.errors import ConfirmationRequired, Refused
from app.formats.choices import RefusalReason
from app.journals.numbering import format_number, journal_for, next_number
from app.resolution.service import route
from app.search.index import index_document
from app.timeutil import local
from app.workdays import Calendar, WorkingHours
from app.workflow.locking import check_version
from app.workflow.permissions import require
from app.workflow.transition import transition
from app.xmlsig.report import Indication


def register(
    document: Document,
    *,
    clerk: User,
    now: datetime,
    expected_version: int | None = None,
    confirm_indeterminate: bool = False,
    zone: str,
    deadlines: DeadlineSetup | None = None,
) -> str:
    """Give the document its number in the journal of its kind and its legal deadline
    (by the rules and calendar of ``deadlines``; without them the database's rules and
    day swaps over the public calendar, the default office hours in ``zone``); returns
    the number."""
    check_version(document, expected_version)
    require(clerk, Action.REGISTER, document)
    if document.indication is Indication.FAILED:
        raise Refused(
            _l("A document whose signature is NOT valid cannot be registered; refuse its "
               "registration instead."),
            code="signature_failed", indication=document.indication.value,
        )
    if document.indication is Indication.INDETERMINATE and not confirm_indeterminate:
        raise ConfirmationRequired(
            _l("The signature could not be fully checked; confirm that you register the "
               "document anyway."),
            code="signature_indeterminate", indication=document.indication.value,
        )
    journal = journal_for(document.kind)
    year = local(now, zone).year
    number = format_number(journal, year=year, seq=next_number(journal, year=year))
    document.registration_number = number
    document.registered_at = now
    document.registered_by = clerk
    document.journal_id = journal.id
    facts: dict = {"number": number}
    if deadlines is None:
        deadlines = DeadlineSetup.load(calendar=Calendar(), hours=WorkingHours(zone=zone))
    if (deadline := give_legal_deadline(document, deadlines)) is not None:
        facts.update(due=deadline.due.isoformat(), deadline_rule=deadline.rule.code)
    if document.indication is Indication.INDETERMINATE:
        facts["confirmed_indeterminate"] = True
    transition(document, Action.REGISTER, actor=clerk, now=now, facts=facts)
    index_document(document)  # found by its number from now on
    # the routes send it straight on to its head; when none matches, the clerk chooses
    route(document, now=now)
    return number


def refuse(
    document: Document,
    *,
    clerk: User,
    now: datetime,
    reason: RefusalReason,
    text: str = "",
    expected_version: int | None = None,
) -> None:
    """Refuse registration with a reason from the catalogue and an explanation."""
    check_version(document, expected_version)
    require(clerk, Action.REJECT, document)
    text = text.strip()
    if reason is RefusalReason.OTHER and not text:
        raise Refused(_l("Explain in words why registration is refused for another reason."),
                      code="refusal_reason_unexplained", reason=reason.value)
    document.refusal_reason = reason.value
    document.refusal_text = text
    document.refused_at = now
    document.refused_by = clerk
    transition(document, Action.REJECT, actor=clerk, now=now, comment=text,
               facts={"refusal_reason": reason.value})
