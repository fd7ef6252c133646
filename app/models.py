"""Every table, imported once so metadata is complete wherever it is needed."""

from app.auth.models import User, UserRole
from app.intake.models import Attachment, Document, IntakeAttempt, Sender
from app.marks.models import Mark
from app.registration.models import Journal, JournalCounter
from app.workflow.models import HistoryEntry

__all__ = [
    "Attachment",
    "Document",
    "HistoryEntry",
    "IntakeAttempt",
    "Journal",
    "JournalCounter",
    "Mark",
    "Sender",
    "User",
    "UserRole",
]
