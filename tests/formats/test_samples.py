import json

import pytest

from app.formats import (
    AppealDetails,
    AuthorKind,
    DocumentKind,
    Family,
    Language,
    build_document,
    document_bytes,
    document_from_json,
    document_to_json,
    is_valid_bin,
    is_valid_iin,
    read_document,
    validate,
)
from qujat_demo.samples import SAMPLE_KINDS, sample_document

from .conftest import reparse

SEEDS = range(4)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_sample_builds_validates_and_reads_back_equal(kind, seed):
    document = sample_document(kind, seed=seed)
    data = document_bytes(document)
    root = reparse(data)
    family = validate(root)
    assert family is (Family.APPEAL if kind.startswith("appeal") else Family.APPLICATION)
    assert read_document(root) == document


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_sample_is_deterministic(kind):
    assert document_bytes(sample_document(kind, seed=7)) == document_bytes(
        sample_document(kind, seed=7)
    )
    assert sample_document(kind, seed=7) != sample_document(kind, seed=8)


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_sample_kind_and_subtype(kind):
    document = sample_document(kind, seed=1)
    if kind.startswith("appeal"):
        assert document.kind is DocumentKind.APPEAL
        assert isinstance(document.details, AppealDetails)
        expected = AuthorKind.LEGAL_ENTITY if kind == "appeal-legal" else AuthorKind.INDIVIDUAL
        assert document.author.kind is expected
    else:
        assert document.kind is DocumentKind.APPLICATION
        assert document.subtype.value == kind.replace("-", "_")
    assert document.short_content and document.sender_document_id


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_sample_identifiers_are_valid(kind, seed):
    author = sample_document(kind, seed=seed).author
    if author.kind is AuthorKind.INDIVIDUAL:
        assert is_valid_iin(author.iin)
    else:
        assert is_valid_bin(author.bin)
        assert author.iin is None or is_valid_iin(author.iin)


def test_samples_speak_kazakh_and_russian():
    documents = [sample_document(k, seed=s) for k in SAMPLE_KINDS for s in range(10)]
    assert {d.language for d in documents} == {Language.KK, Language.RU}
    text = "".join(document_bytes(d).decode("utf-8") for d in documents)
    for letter in "әғқңөұүһі":
        assert letter in text, letter


def test_elicense_samples_use_elicense_numbers():
    document = sample_document("licence-new", seed=3)
    assert document.sender_system == "ELICENSE"
    number = document.sender_document_id
    assert number[:2] == "KZ" and number[2:4].isdigit() and number[7:].isdigit()
    assert len(number) == len("KZ19RFB00000009")


def test_samples_carry_small_attachments():
    document = sample_document("licence-restore", seed=0)
    (copy,) = document.attachments
    assert copy.media_type == "application/pdf"
    assert copy.content.startswith(b"%PDF-1.4") and copy.content.endswith(b"%%EOF\n")
    assert 0 < document.attachments_size < 4096


def test_overrides_replace_fields():
    from app.formats import CodedName

    ours = CodedName(code="QUJAT", name="Наш орган")
    document = sample_document("appeal", seed=1, recipient=ours, language=Language.KK)
    assert document.recipient == ours
    assert document.language is Language.KK
    with pytest.raises(TypeError):
        sample_document("appeal", seed=1, no_such_field=1)
    with pytest.raises(ValueError, match="unknown sample kind 'petition'; known: appeal"):
        sample_document("petition", seed=1)


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_json_round_trip(kind):
    document = sample_document(kind, seed=5)
    data = json.loads(json.dumps(document_to_json(document), ensure_ascii=False))
    assert document_from_json(data) == document
    assert data["kind"] == document.kind.value
    assert data["subtype"] == document.subtype.value


def test_build_is_unsigned_and_uses_fixed_prefixes():
    root = build_document(sample_document("inspection-request", seed=2))
    assert root.nsmap == {None: "urn:qujat:application:1", "c": "urn:qujat:common:1"}
    assert root.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is None


@pytest.mark.parametrize("kind", ["appeal", "numbering-permit", "sanitary-notification"])
def test_envelope_reads_without_the_rest(kind):
    from app.formats import read_envelope

    document = sample_document(kind, seed=2)
    assert read_envelope(reparse(document_bytes(document))) == document.envelope
    assert document.envelope.sender_document_id == document.sender_document_id
