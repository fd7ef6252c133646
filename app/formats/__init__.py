"""The exchange formats: appeals and applications we receive, status marks and response
letters we send, as XSDs (``xml_schemas/``), frozen values and their XML.

Knows nothing of Flask or the database. The usual path of an incoming document::

    root = <verified, signature-stripped tree from app.xmlsig>
    document = read_document(root)        # XSD + identifiers + attachment hashes and size

and of an answer::

    xml = status_mark_bytes(StatusMark(...))  # unsigned; app.xmlsig signs it

Errors: :class:`~app.xmlsig.errors.SchemaViolation` for a document that breaks its schema,
its subclass :class:`FormatError` for the rules the XSD cannot express, and its subclass
:class:`IdentifierError` for an IIN or BIN that is malformed.
"""

from app.formats.build import build_document, document_bytes, to_bytes
from app.formats.choices import (
    AppealType,
    ApplicationKind,
    AuthorKind,
    DocumentKind,
    Language,
    LicenceCategory,
    MarkKind,
    Outcome,
    RefusalReason,
    ReissueReason,
    SanitaryProcedure,
)
from app.formats.errors import FormatError, IdentifierError, SchemaSetError
from app.formats.identifiers import check_bin, check_iin, is_valid_bin, is_valid_iin
from app.formats.jsoncodec import document_from_json, document_to_json
from app.formats.letters import build_response_letter, read_response_letter, response_letter_bytes
from app.formats.marks import build_status_mark, read_status_mark, status_mark_bytes
from app.formats.model import (
    MAX_ATTACHMENTS_BYTES,
    Address,
    AppealDetails,
    ApplicantStatus,
    Attachment,
    Author,
    CodedName,
    Contacts,
    DocumentRef,
    Envelope,
    Extension,
    IncomingDocument,
    IssuedLicence,
    LicenceAppendix,
    LicenceNew,
    LicenceRef,
    LicenceReissue,
    LicenceRestore,
    NumberingPermit,
    NumberingTerritory,
    OutgoingRef,
    PersonName,
    Refusal,
    Registration,
    ReplyRef,
    ResponseLetter,
    SanitaryRequest,
    Signer,
    StatusMark,
)
from app.formats.read import read_document, read_envelope
from app.formats.schemas import Family, SchemaSet, validate

__all__ = [
    "MAX_ATTACHMENTS_BYTES", "Address", "AppealDetails", "AppealType",
    "ApplicantStatus", "ApplicationKind", "Attachment", "Author", "AuthorKind", "CodedName",
    "Contacts", "DocumentKind", "DocumentRef", "Envelope", "Extension", "Family", "FormatError",
    "IdentifierError", "IncomingDocument", "IssuedLicence", "Language", "LicenceAppendix",
    "LicenceCategory", "LicenceNew", "LicenceRef", "LicenceReissue", "LicenceRestore",
    "MarkKind", "NumberingPermit", "NumberingTerritory", "Outcome", "OutgoingRef", "PersonName",
    "Refusal", "RefusalReason", "Registration", "ReissueReason", "ReplyRef", "ResponseLetter",
    "SanitaryProcedure", "SanitaryRequest", "SchemaSet", "SchemaSetError", "Signer",
    "StatusMark", "build_document", "build_response_letter", "build_status_mark", "check_bin",
    "check_iin", "document_bytes", "document_from_json", "document_to_json", "is_valid_bin",
    "is_valid_iin", "read_document", "read_envelope", "read_response_letter",
    "read_status_mark", "response_letter_bytes", "status_mark_bytes",
    "to_bytes", "validate",
]
