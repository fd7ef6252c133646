"""Documents as a portal builds them: from a sample or JSON, the author from the key."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from cryptography import x509

from app.formats.build import document_bytes
from app.formats.jsoncodec import document_from_json
from app.formats.model import Author, IncomingDocument, PersonName
from app.xmlsig.certificates import describe
from app.xmlsig.keys import SigningKey, load_pkcs12
from app.xmlsig.signer import sign_enveloped
from qujat_demo.samples import SAMPLE_KINDS, sample_document

KINDS = SAMPLE_KINDS


def load_key(path: Path, password: str) -> SigningKey:
    return load_pkcs12(Path(path).read_bytes(), password)


def author_from_certificate(certificate: x509.Certificate, *, legal: bool | None = None) -> Author:
    """The author a key holder writes into a portal form: the certificate's own data."""
    info = describe(certificate)
    surname = info.surname or info.common_name.split(" ")[0]
    parts = info.common_name.split(" ", 1)
    name = parts[1] if len(parts) > 1 else surname
    person = PersonName(surname=surname.title(), name=name.title(),
                        patronymic=(info.given_name or None) and info.given_name.title())
    if info.bin and legal is not False:
        return Author.legal_entity(bin=info.bin, name=info.organization or "—",
                                   representative=person, representative_iin=info.iin)
    return Author.individual(iin=info.iin, surname=person.surname, name=person.name,
                             patronymic=person.patronymic)


def build(
    kind: str,
    *,
    seed: int = 1,
    json_file: Path | None = None,
    signer: SigningKey | None = None,
    overrides: dict[str, Any] | None = None,
) -> IncomingDocument:
    """A schema-valid document: from JSON if given, else a sample of ``kind``; signed by
    ``signer`` later, so the author is taken from the signer's certificate."""
    if json_file is not None:
        document = document_from_json(json.loads(Path(json_file).read_text(encoding="utf-8")))
    else:
        document = sample_document(kind, seed=seed)
    changes = dict(overrides or {})
    if signer is not None and "author" not in changes:
        wants_legal = document.author.bin is not None
        author = author_from_certificate(signer.certificate, legal=wants_legal)
        if author.bin is not None and wants_legal:
            # what the form asks beyond the certificate stays as the sample filled it
            author = dataclasses.replace(
                author, position=document.author.position,
                representative_address=document.author.representative_address)
        changes["author"] = author
    return dataclasses.replace(document, **changes) if changes else document


def signed_bytes(document: IncomingDocument, key: SigningKey) -> bytes:
    return sign_enveloped(document_bytes(document), key)
