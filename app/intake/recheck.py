"""Checking a stored document again: its bytes are still the ones received (SHA-256), and
its signature, verified again as of its receipt as intake verified it (the signer being
the author included), still gives the verdict recorded then. For a restored backup, or
any audit of the store."""

from __future__ import annotations

import hashlib

from app.documents.models import Document
from app.formats import read as formats_read
from app.formats.errors import FormatError
from app.xmlsig.identity import check_signer_is_author
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.verifier import verify_bytes


def recheck(document: Document, raw: bytes, *, policy: TrustPolicy) -> str | None:
    """None when the document holds; else what is wrong, in a few words."""
    if hashlib.sha256(raw).hexdigest() != document.raw_sha256:
        return "its stored bytes are not the ones received (SHA-256 differs)"
    result = verify_bytes(raw, policy=policy, at=document.received_at)
    report = result.report
    if result.signed_root is not None and report.signer is not None:
        try:
            author = formats_read.read_document(result.signed_root).author
        except FormatError as exc:
            return f"its signed content no longer reads as a document: {exc}"
        for check in check_signer_is_author(report.signer,
                                            iin=author.iin if author.bin is None else None,
                                            bin=author.bin, policy=policy):
            report = report.with_signature_check(0, check)
    if report.indication != document.indication:
        return (f"its signature now verifies {report.indication.value}, "
                f"at intake {document.indication.value}")
    return None
