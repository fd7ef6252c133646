"""The trust policy: what we trust and how strictly, as one frozen value.

Built once at start-up from configuration (or from the command line of ``qujat verify``)
and passed to the verifier; nothing in this package reads global state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509

from app.xmlsig.limits import Limits

#: 30 MB of attachments, base64-encoded (4/3) plus room for the envelope
DEFAULT_MAX_DOCUMENT_BYTES = 42 * 1024 * 1024


@dataclass(frozen=True)
class TrustPolicy:
    #: self-signed roots; a path must end in one of these
    anchors: tuple[x509.Certificate, ...] = ()
    #: issuing CAs we may use to build a path; never trusted on their own
    intermediates: tuple[x509.Certificate, ...] = ()
    #: revocation lists, each indexed once when the policy is built (see revocation.py)
    crls: tuple[object, ...] = ()
    #: when True, a certificate whose issuer has no configured CRL is INDETERMINATE
    revocation_required: bool = False
    #: document signatures need a signing key (nonRepudiation), never an authentication key
    require_signing_key: bool = True
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    #: nesting depth beyond which a document is refused before it reaches the validator
    max_depth: int = 64
    #: the work one document may ask for: signatures, nodes, namespaces, ... (see limits.py)
    limits: Limits = field(default_factory=Limits)
    #: extended key usages that mark a legal entity's employee as allowed to sign for it
    legal_signing_roles: frozenset[str] = field(
        default_factory=lambda: frozenset({"first_head", "may_sign"})
    )
