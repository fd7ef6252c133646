"""Every table, imported once so metadata is complete wherever it is needed."""

from app.audit.models import AuditEntry, ChainHead, Checkpoint
from app.auth.models import LoginFailure, LoginSession, User, UserRole
from app.documents.models import Attachment, Document, Sender
from app.execution.models import ApprovalRound, Draft, DraftFile, DraftPart, Letter
from app.inspections.models import InspectionVisit
from app.intake.models import IntakeAttempt
from app.journals.models import Journal, JournalCounter
from app.marks.models import Mark
from app.org.models import Department, Route
from app.resolution.models import Resolution
from app.workflow.models import HistoryEntry

__all__ = [
    "ApprovalRound",
    "Attachment",
    "AuditEntry",
    "ChainHead",
    "Checkpoint",
    "Department",
    "Document",
    "Draft",
    "DraftFile",
    "DraftPart",
    "HistoryEntry",
    "InspectionVisit",
    "IntakeAttempt",
    "Journal",
    "JournalCounter",
    "Letter",
    "LoginFailure",
    "LoginSession",
    "Mark",
    "Resolution",
    "Route",
    "Sender",
    "User",
    "UserRole",
]
