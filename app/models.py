"""Every table, imported once so metadata is complete wherever it is needed."""

from app.audit.models import AuditEntry, ChainHead, Checkpoint
from app.auth.models import LoginFailure, LoginSession, User, UserRole
from app.catalogues.models import StandardInstruction, StateBody
from app.control.models import ControlDecision
from app.deadlines.models import CalendarDay, DeadlineRuleRecord
from app.documents.counts import DocumentStateCount
from app.documents.dbblobs import BlobPart
from app.documents.models import Attachment, Document, Sender
from app.execution.models import ApprovalRound, Draft, DraftFile, DraftPart, Letter
from app.inspections.models import InspectionVisit
from app.intake.models import IntakeAttempt
from app.journals.models import Journal, JournalCounter
from app.marks.models import Mark
from app.notifications.models import Notification
from app.org.models import Department, Route
from app.org.tree import DepartmentTreeStamp
from app.permits.models import NumberAllocation, PermitEntry, PermitVersion
from app.repeats.models import RepeatLink
from app.resolution.models import Resolution
from app.scheduling.models import JobRun
from app.search.models import DocumentSearch
from app.status.models import StatusLookup
from app.workflow.models import HistoryEntry

__all__ = [
    "ApprovalRound",
    "Attachment",
    "AuditEntry",
    "CalendarDay",
    "BlobPart",
    "ChainHead",
    "Checkpoint",
    "ControlDecision",
    "DeadlineRuleRecord",
    "Department",
    "DepartmentTreeStamp",
    "Document",
    "DocumentStateCount",
    "DocumentSearch",
    "Draft",
    "DraftFile",
    "DraftPart",
    "HistoryEntry",
    "InspectionVisit",
    "IntakeAttempt",
    "JobRun",
    "Journal",
    "JournalCounter",
    "Letter",
    "LoginFailure",
    "LoginSession",
    "Mark",
    "Notification",
    "NumberAllocation",
    "PermitEntry",
    "PermitVersion",
    "RepeatLink",
    "Resolution",
    "Route",
    "Sender",
    "StandardInstruction",
    "StateBody",
    "StatusLookup",
    "User",
    "UserRole",
]
