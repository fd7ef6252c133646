import hashlib

import pytest

from app.formats import FormatError, document_bytes, document_from_json, read_document
from app.xmlsig.errors import SchemaViolation

from .conftest import reparse

HAND_WRITTEN = {
    "subtype": "complaint",
    "sender_system": "EGOV",
    "sender_document_id": "ЖТ-2025-00000042",
    "sent_at": "2025-04-01T10:30:00+05:00",
    "recipient": {"code": "AKIMAT-AST", "name": "Астана қаласының әкімдігі"},
    "language": "kk",
    "author": {"kind": "individual", "iin": "840115364748", "surname": "Әбенова",
               "name": "Гүлнар", "patronymic": "Серікқызы"},
    "contacts": {
        "address": {"city": "Астана қ.", "postcode": "010000", "street_kk": "Кенесары көшесі",
                    "house": "12"},
        "phones": ["+7 701 123 45 67"],
    },
    "details": {"appeal_type": "complaint"},
    "short_content": "Қоқыстың шығарылмауына шағым",
    "text": "Ауладан қоқыс шығарылмайды.",
    "attachments": [{"file_name": "хат.txt", "media_type": "text/plain",
                     "content_text": "Сәлеметсіз бе!"}],
}


def test_hand_written_json_builds_a_valid_document():
    document = document_from_json(HAND_WRITTEN)
    (attachment,) = document.attachments
    assert attachment.content == "Сәлеметсіз бе!".encode()
    assert attachment.sha256 == hashlib.sha256(attachment.content).hexdigest()
    assert read_document(reparse(document_bytes(document))) == document


def test_a_given_hash_is_kept_so_a_forgery_can_be_described():
    data = dict(HAND_WRITTEN, attachments=[dict(HAND_WRITTEN["attachments"][0], sha256="ab" * 32)])
    document = document_from_json(data)
    assert document.attachments[0].sha256 == "ab" * 32
    with pytest.raises(FormatError, match="declared SHA-256 abab"):
        read_document(reparse(document_bytes(document)))


def test_missing_field_is_named():
    data = {k: v for k, v in HAND_WRITTEN.items() if k != "short_content"}
    with pytest.raises(FormatError, match="short_content is required") as caught:
        document_from_json(data)
    assert caught.value.field == "short_content"
    contacts = dict(HAND_WRITTEN["contacts"], address={"city": "Астана қ."})
    with pytest.raises(FormatError, match=r"contacts\.address\.postcode is required"):
        document_from_json(dict(HAND_WRITTEN, contacts=contacts))


def test_unknown_subtype_and_contradicting_kind_are_refused():
    with pytest.raises(FormatError, match="subtype 'rant' is none of"):
        document_from_json(dict(HAND_WRITTEN, subtype="rant"))
    with pytest.raises(FormatError, match="kind 'application' contradicts subtype"):
        document_from_json(dict(HAND_WRITTEN, kind="application"))


def test_model_invariants_apply_to_json():
    with pytest.raises(SchemaViolation, match="an appeal needs its text"):
        document_from_json(dict(HAND_WRITTEN, text=None))
    with pytest.raises(FormatError, match="must carry a UTC offset"):
        document_from_json(dict(HAND_WRITTEN, sent_at="2025-04-01T10:30:00"))


@pytest.mark.parametrize(("change", "message"), [
    ({"assisted_by_service_centre": "false"}, "assisted_by_service_centre must be true or false"),
    ({"contacts": dict(HAND_WRITTEN["contacts"], phones="+7 701 123 45 67")},
     r"contacts\.phones must be a list of strings"),
    ({"attachments": {"file_name": "x"}}, "attachments must be a list"),
    ({"author": "Әбенова"}, "author must be a JSON object"),
])
def test_json_types_are_checked(change, message):
    with pytest.raises(FormatError, match=message):
        document_from_json(dict(HAND_WRITTEN, **change))


def test_json_numbers_are_checked():
    from app.formats import document_to_json
    from qujat_demo.samples import sample_document

    data = document_to_json(sample_document("numbering-permit", seed=1))
    data["details"]["territories"][0]["count"] = "1000"
    with pytest.raises(FormatError, match=r"details\.territories\[0\]\.count .* integer"):
        document_from_json(data)
