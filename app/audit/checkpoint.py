"""Signed checkpoints: the chain's head, signed with the system key.

A checkpoint is a small XML statement, signed enveloped like a status mark::

    <AuditCheckpoint xmlns="urn:qujat:audit-checkpoint:1">
      <Entries>1234</Entries>          entries in the chain (the head's seq)
      <Head>64 hex digits</Head>       the hash of entry 1234
      <At>2026-11-02T00:05:00.000000Z</At>
    </AuditCheckpoint>

Whoever can write the database can rewrite an entry and recompute every hash after it,
but cannot sign: the next ``qujat audit verify`` finds that entry 1234 no longer has the
hash the system key signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from app.audit.chain import head, utc_text
from app.audit.models import Checkpoint
from app.extensions import db
from app.xmlsig.chain import build_chain
from app.xmlsig.errors import XmlSigError
from app.xmlsig.keys import SigningKey
from app.xmlsig.parsing import parse_xml
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Outcome
from app.xmlsig.shape import enveloped_signatures
from app.xmlsig.signature import verify_signature
from app.xmlsig.signer import sign_enveloped

NS = "urn:qujat:audit-checkpoint:1"
_MAX_BYTES = 64 * 1024


def statement(*, entries: int, head_hash: str, at: datetime) -> etree._Element:
    root = etree.Element(f"{{{NS}}}AuditCheckpoint", nsmap={None: NS})
    etree.SubElement(root, f"{{{NS}}}Entries").text = str(entries)
    etree.SubElement(root, f"{{{NS}}}Head").text = head_hash
    etree.SubElement(root, f"{{{NS}}}At").text = utc_text(at)
    return root


def sign_checkpoint(*, key: SigningKey, now: datetime, reason: str) -> Checkpoint:
    """Sign the head as last committed and add the checkpoint to the session. Seal the
    waiting readings and commit first, so the checkpoint covers them; no lock is held
    while signing (later entries do not make a checkpoint of the earlier ones wrong)."""
    entries, head_hash = head()
    signed = sign_enveloped(statement(entries=entries, head_hash=head_hash, at=now), key)
    checkpoint = Checkpoint(at=now, entries=entries, head=head_hash, reason=reason,
                            signed=signed)
    db.session.add(checkpoint)
    return checkpoint


@dataclass(frozen=True)
class Signed:
    """What a checkpoint's signature says, once it is known to hold."""

    entries: int
    head: str
    at: str
    #: True when signed by an earlier system key (same holder, chains to the state CA)
    earlier_key: bool = False


class CheckpointForged(Exception):
    """The checkpoint's signature does not hold, or is not the system key's."""


def read_signed(checkpoint: Checkpoint, *, system_certificate: x509.Certificate,
                official_policy: TrustPolicy | None) -> Signed:
    """The statement of ``checkpoint`` if the system key signed it, and it says what the
    row's columns say; otherwise CheckpointForged naming why.

    The signer must be the system key's certificate; a renewed system key's checkpoints
    keep verifying when the earlier certificate names the same holder and chains to the
    state bodies' CA (``official_policy``).
    """
    try:
        tree = parse_xml(bytes(checkpoint.signed), max_bytes=_MAX_BYTES, max_depth=8)
    except XmlSigError as exc:
        raise CheckpointForged(f"unreadable: {exc}") from None
    signatures = enveloped_signatures(tree.getroot())
    if len(signatures) != 1:
        raise CheckpointForged(f"{len(signatures)} signatures instead of one")
    checked = verify_signature(tree, signatures[0], keep_signed=True)
    if not checked.verified or checked.signed_root is None or checked.certificate is None:
        failed = [c.detail for c in checked.checks if c.outcome is not Outcome.PASSED]
        raise CheckpointForged("the signature does not verify: " + "; ".join(failed))
    earlier = _signer_problem(checked.certificate, system_certificate, official_policy,
                              at=checkpoint.at)
    root = checked.signed_root
    if etree.QName(root).text != f"{{{NS}}}AuditCheckpoint":
        raise CheckpointForged(f"signed {etree.QName(root).text}, not a checkpoint")
    try:
        said = Signed(entries=int(root.findtext(f"{{{NS}}}Entries") or ""),
                      head=root.findtext(f"{{{NS}}}Head") or "",
                      at=root.findtext(f"{{{NS}}}At") or "", earlier_key=earlier)
    except ValueError:
        raise CheckpointForged("the signed statement has no number of entries") from None
    if (said.entries, said.head, said.at) != (checkpoint.entries, checkpoint.head,
                                              utc_text(checkpoint.at)):
        raise CheckpointForged(
            f"the row says {checkpoint.entries} entries, head {checkpoint.head}, at "
            f"{utc_text(checkpoint.at)}; the signature says {said.entries}, {said.head}, "
            f"{said.at}")
    return said


def _signer_problem(certificate: x509.Certificate, system_certificate: x509.Certificate,
                    policy: TrustPolicy | None, *, at: datetime) -> bool:
    """False when the system key signed, True for an earlier system key; otherwise
    CheckpointForged."""
    if certificate.public_bytes(Encoding.DER) == system_certificate.public_bytes(Encoding.DER):
        return False
    if (policy is not None and certificate.subject == system_certificate.subject
            and build_chain(certificate, policy=policy, at=at).check.outcome
            is Outcome.PASSED):
        return True
    raise CheckpointForged(
        f"signed by {certificate.subject.rfc4514_string()}, not by the system key")
