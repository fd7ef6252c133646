"""Exceptions of the XML signature package.

A signature that does not verify is not an exception: it is a report with the verdict
FAILED. Exceptions are for input we cannot even look at and for misuse.
"""


class XmlSigError(Exception):
    """Base of every error this package raises."""


class InvalidInput(XmlSigError):
    """Raised when the bytes are not XML we are willing to read: malformed, carrying a DTD
    or entities, nested too deep or too large."""


class DocumentTooLarge(InvalidInput):
    """Raised when the input exceeds the configured size limit, before any parsing."""


class LimitExceeded(InvalidInput):
    """Raised when a document asks for more work than the policy's ``Limits`` allow (more
    signatures, nodes, namespace declarations, ... than it names); ``limit`` is the name
    of the limit, ``maximum`` its value, ``line`` where it was passed, when known."""

    def __init__(self, message: str, *, limit: str, maximum: int, line: int | None = None):
        super().__init__(message)
        self.limit = limit
        self.maximum = maximum
        self.line = line


class SchemaViolation(InvalidInput):
    """Raised when a document is well-formed but not one of our schemas.

    ``rule`` names the first rule that failed, in the schema validator's words, with its line.
    """

    def __init__(self, message: str, *, rule: str = "", line: int | None = None):
        super().__init__(message)
        self.rule = rule
        self.line = line


class KeyLoadError(XmlSigError):
    """Raised when a key container cannot be opened: wrong password, no private key,
    no certificate, or an algorithm we cannot sign with."""


class TooManyIterations(KeyLoadError):
    """Raised when a key container asks for more password-hash iterations than we run:
    refused before any of them is computed, so a crafted file cannot stall the server."""

    def __init__(self, message: str, *, count: int, maximum: int):
        super().__init__(message)
        self.count = count
        self.maximum = maximum


class ConfigurationError(XmlSigError):
    """Raised when a trust anchor, intermediate or CRL file cannot be read."""


class UnknownAlgorithm(XmlSigError, ValueError):
    """Raised when an algorithm URI is not one of those ``algorithms`` knows; ``kind`` says
    what it was meant to be ("signature method", "digest method", ...) and ``uri`` names it.

    The verifier turns it into a check that names the URI; it never escapes a verification."""

    def __init__(self, kind: str, uri: str):
        super().__init__(f"unknown {kind} {uri!r}")
        self.kind = kind
        self.uri = uri


class UnsupportedCanonicalization(XmlSigError):
    """Raised when a canonicalization we know cannot be computed exactly for this input with
    lxml's canonicalizer (see ``algorithms.canonicalize``); a verification reports it as
    INDETERMINATE rather than guessing."""
