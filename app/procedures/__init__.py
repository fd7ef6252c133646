"""Every procedure as data: for each application kind and appeal type, who may apply, what
must be attached, the outcomes the executor may choose, what each outcome produces, the
marks sent and the deadline rule. Intake, the desk, execution and the letter read it;
adding a procedure means adding an entry here (and its letter wording in ``wording.py``).

Pure data and functions: no Flask, no database.
"""

from app.procedures.table import (
    PROCEDURES,
    ApplicantType,
    Procedure,
    Produces,
    RequiredAttachment,
    applicant_type_of,
    missing_attachments,
    procedure_for,
)

__all__ = [
    "PROCEDURES",
    "ApplicantType",
    "Procedure",
    "Produces",
    "RequiredAttachment",
    "applicant_type_of",
    "missing_attachments",
    "procedure_for",
]
