"""Repeat appeals: what the same author wrote before on a similar subject, and the link
that says "this one repeats that one".

Similar means: the same IIN (or BIN), an earlier appeal, and a short content or text that
share enough of their words, folded as the search folds them (so Kazakh and Russian
spellings of one subject meet). The author's documents are few, so the comparison is
made here, the same on both databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from app.auth.models import User
from app.documents.models import Document, DocumentFamily
from app.documents.states import DocumentState
from app.errors import Refused
from app.extensions import db
from app.formats.choices import Outcome
from app.repeats.models import RepeatLink
from app.search.folding import words
from app.workflow.permissions import Task, require

#: share of common words (Jaccard) from which two subjects are "similar"
SIMILAR = 0.3
#: words shorter than this say little about a subject ("о", "по", "на")
MIN_WORD = 3
#: how many of the author's earlier documents are compared
LOOK_BACK = 200
#: answers that decided the question: a repeat of these may be left without consideration
ON_THE_MERITS = frozenset({Outcome.SATISFIED.value, Outcome.REFUSED.value,
                           Outcome.EXPLAINED.value})


@dataclass(frozen=True)
class Earlier:
    document: Document
    #: how alike the subjects are, 0..1
    score: float
    #: already linked as the one this document repeats
    linked: bool

    @property
    def answer(self):
        """The letter that answered it, if any (outcome, outgoing number and date)."""
        return self.document.letters[-1] if self.document.letters else None


def _subject_words(text: str | None) -> set[str]:
    return {w for w in words(text) if len(w) >= MIN_WORD and not w.isdigit()}


def similarity(a: Document, b: Document) -> float:
    """How alike two documents' subjects are: the better of short content and text."""
    def jaccard(x: set[str], y: set[str]) -> float:
        return len(x & y) / len(x | y) if x and y else 0.0

    text_a = (a.content or {}).get("text") or ""
    text_b = (b.content or {}).get("text") or ""
    return max(jaccard(_subject_words(a.short_content), _subject_words(b.short_content)),
               jaccard(_subject_words(text_a), _subject_words(text_b)))


def _same_author(document: Document):
    if document.author_bin:
        return Document.author_bin == document.author_bin
    if document.author_iin:
        return Document.author_iin == document.author_iin
    return None


def earlier_similar(document: Document) -> list[Earlier]:
    """The same author's earlier appeals on a similar subject (and any already linked),
    most alike first."""
    if document.family is not DocumentFamily.APPEAL:
        return []
    linked = {link.earlier_id for link in links_from(document)}
    author = _same_author(document)
    if author is None:
        return []
    candidates = db.session.scalars(
        select(Document).where(
            author, Document.id != document.id, Document.family == DocumentFamily.APPEAL,
            or_(Document.received_at < document.received_at,
                and_(Document.received_at == document.received_at,
                     Document.id < document.id)))
        .order_by(Document.received_at.desc()).limit(LOOK_BACK))
    found = []
    for other in candidates:
        score = similarity(document, other)
        if score >= SIMILAR or other.id in linked:
            found.append(Earlier(other, score, other.id in linked))
    return sorted(found, key=lambda e: (-e.linked, -e.score, -e.document.id))


def links_from(document: Document) -> list[RepeatLink]:
    """The documents this one repeats."""
    return list(db.session.scalars(select(RepeatLink).where(
        RepeatLink.document_id == document.id).order_by(RepeatLink.id)))


def links_to(document: Document) -> list[RepeatLink]:
    """The later documents that repeat this one."""
    return list(db.session.scalars(select(RepeatLink).where(
        RepeatLink.earlier_id == document.id).order_by(RepeatLink.id)))


def link_repeat(document: Document, earlier: Document, *, actor: User,
                now: datetime) -> RepeatLink:
    """Record that ``document`` repeats ``earlier``; flushes, never commits."""
    require(actor, Task.LINK_REPEAT, document)
    if _same_author(document) is None or earlier.id == document.id or not (
            (earlier.author_iin and earlier.author_iin == document.author_iin)
            or (earlier.author_bin and earlier.author_bin == document.author_bin)):
        raise Refused(_l("Only an earlier appeal of the same author can be linked as the "
                         "one this appeal repeats."), code="repeat_not_same_author")
    if earlier.received_at > document.received_at:
        raise Refused(_l("The linked appeal must be the earlier one."),
                      code="repeat_not_earlier")
    existing = db.session.scalar(select(RepeatLink).where(
        RepeatLink.document_id == document.id, RepeatLink.earlier_id == earlier.id))
    if existing is not None:
        return existing
    link = RepeatLink(document=document, earlier=earlier, linked_by=actor, linked_at=now)
    db.session.add(link)
    db.session.flush()
    return link


def answered_on_the_merits(document: Document) -> Document | None:
    """The earlier document this one repeats that was already answered on the merits
    (satisfied, refused, explained): the ground to leave the repeat without consideration."""
    for link in links_from(document):
        earlier = link.earlier
        if earlier.state is DocumentState.ANSWERED and earlier.letters and (
                earlier.letters[-1].outcome in ON_THE_MERITS):
            return earlier
    return None
