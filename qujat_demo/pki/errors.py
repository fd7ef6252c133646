"""Exceptions of the demo PKI package."""


class PkiError(Exception):
    """Base of every error this package raises."""


class DirectoryNotEmpty(PkiError):
    """Raised when ``init`` is pointed at a directory that already holds files and was not
    told to replace them (``force``)."""


class ManifestError(PkiError):
    """Raised when a demo PKI directory has no readable manifest.json, or the manifest is of
    an unknown format or lacks a file this package expects."""
