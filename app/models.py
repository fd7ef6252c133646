"""Every table, imported once so metadata is complete wherever it is needed."""

from app.auth.models import User, UserRole
from app.execution.models import ApprovalRound, Draft, DraftFile, DraftPart, Letter
from app.intake.models import Attachment, Document, IntakeAttempt, Sender
from app.marks.models import Mark
from app.org.models import Department, Route
from app.registration.models import Journal, JournalCounter
from app.resolution.models import Resolution
from app.workflow.models import HistoryEntry

__all__ = [
    "ApprovalRound",
    "Attachment",
    "Department",
    "Document",
    "Draft",
    "DraftFile",
    "DraftPart",
    "HistoryEntry",
    "IntakeAttempt",
    "Journal",
    "JournalCounter",
    "Letter",
    "Mark",
    "Resolution",
    "Route",
    "Sender",
    "User",
    "UserRole",
]
