"""Exceptions of the exchange-format package.

Both derive from :class:`app.xmlsig.errors.SchemaViolation`: to whoever receives a document,
a wrong check digit or a forged attachment hash is as much "not our format" as a missing
element, so one ``except SchemaViolation`` refuses them all, and ``rule`` / ``line`` mean
the same thing everywhere.
"""

from __future__ import annotations

from app.xmlsig.errors import SchemaViolation


class FormatError(SchemaViolation):
    """Raised when a document passes its XSD but breaks a rule XSD 1.0 cannot express
    (attachment hash and total size, identifiers, agreement between fields), or when a
    value object is built with fields that contradict each other.

    ``rule`` names the rule in a short stable phrase, e.g. ``"attachment-sha256"``; ``field``
    says where, as a path of element names, e.g. ``"Attachments/Attachment[2]/Sha256"``.
    """

    def __init__(self, message: str, *, rule: str, field: str = "", line: int | None = None):
        super().__init__(message, rule=rule, line=line)
        self.field = field


class IdentifierError(FormatError):
    """Raised when an IIN or a BIN is malformed: not 12 digits, a wrong check digit, an
    impossible birth date or century digit (IIN), an unknown entity type (BIN)."""

    def __init__(
        self, message: str, *, scheme: str, value: str, field: str = "", line: int | None = None
    ):
        super().__init__(message, rule=f"{scheme.lower()}-valid", field=field, line=line)
        #: "IIN" or "BIN"
        self.scheme = scheme
        self.value = value


class SchemaSetError(Exception):
    """Raised when an XSD file is missing or does not compile. A deployment fault, never
    the sender's: it deliberately is not a SchemaViolation, so no document is refused for it."""
