"""Completeness (the permits law gives the office two working days for it): the documents
the procedure requires of this applicant that are not among the attachments, and by when
the clerk must have checked them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.deadlines.compute import registration_day
from app.documents.models import Document, DocumentFamily
from app.documents.states import DocumentState
from app.procedures import RequiredAttachment, missing_attachments, procedure_for
from app.timeutil import as_utc
from app.workdays import Calendar, WorkingHours

#: the permits law's period for the completeness check of an application, in working days
#: from the day it counts as received (the next working day after hours or on a day off)
COMPLETENESS_WORKING_DAYS = 2


def missing_documents(doc: Document) -> tuple[RequiredAttachment, ...]:
    """What the document's procedure requires and no attachment is; () for a document
    whose content could not be read (its signature failed: nothing to judge)."""
    if not doc.content:
        return ()
    try:
        procedure = procedure_for(doc.kind, doc.content)
    except ValueError:  # a kind no procedure knows: nothing is required of it
        return ()
    return missing_attachments(procedure, doc.content)


def completeness_due(doc: Document, *, calendar: Calendar, hours: WorkingHours) -> date | None:
    """The last day of the completeness check of an application still waiting for the
    clerk (registered or refused, it is done); None for an appeal or a checked one."""
    if doc.family is not DocumentFamily.APPLICATION or doc.state is not DocumentState.RECEIVED:
        return None
    received_on, _why, _skipped = registration_day(as_utc(doc.received_at), calendar=calendar,
                                                   hours=hours)
    return calendar.add_working_days(received_on, COMPLETENESS_WORKING_DAYS)


@dataclass(frozen=True)
class Completeness:
    """What the inbox and the document page say of a document's completeness."""

    missing: tuple[RequiredAttachment, ...]
    #: the check's last day (an application waiting for the clerk), else None
    due: date | None
    #: the check is late: today is after ``due``
    late: bool


def completeness_of(doc: Document, *, calendar: Calendar, hours: WorkingHours,
                    today: date) -> Completeness:
    due = completeness_due(doc, calendar=calendar, hours=hours)
    return Completeness(missing=missing_documents(doc), due=due,
                        late=due is not None and today > due)


def incompleteness_text(missing: tuple[RequiredAttachment, ...], language: str) -> str:
    """The refusal's text naming what is missing, in the reader's language."""
    lead = {"kk": "Қажетті құжаттар жоқ", "ru": "Не представлены документы"}.get(
        language, "Missing documents")
    return f"{lead}: " + "; ".join(item.label_in(language) for item in missing) + "."
