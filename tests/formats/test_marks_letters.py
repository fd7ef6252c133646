from datetime import date, datetime, timedelta, timezone

import pytest
from lxml import etree

from app.formats import (
    Attachment,
    CodedName,
    DocumentRef,
    Extension,
    Family,
    FormatError,
    IssuedLicence,
    Language,
    MarkKind,
    Outcome,
    OutgoingRef,
    Refusal,
    RefusalReason,
    Registration,
    ReplyRef,
    ResponseLetter,
    Signer,
    StatusMark,
    build_document,
    build_response_letter,
    build_status_mark,
    read_document,
    read_envelope,
    read_response_letter,
    read_status_mark,
    response_letter_bytes,
    status_mark_bytes,
    validate,
)
from app.formats.model import ISSUING_OUTCOMES, Issued
from app.xmlsig.errors import SchemaViolation
from qujat_demo.samples import sample_document

from .conftest import reparse

ASTANA = timezone(timedelta(hours=5))
US = CodedName(code="QUJAT", name="Қазақстан Республикасының Мемлекеттік органы")
DS = "http://www.w3.org/2000/09/xmldsig#"

DETAILS = {
    MarkKind.REGISTERED: {"registration": Registration(number="ЖТ-Т-1234",
                                                       date=date(2025, 3, 14))},
    MarkKind.REFUSED: {"refusal": Refusal(reason=RefusalReason.EDS_CHECK_FAILED,
                                          text="Отрицательный результат проверки ЭЦП")},
    MarkKind.LETTER: {"letter": OutgoingRef(number="01-12/345", date=date(2025, 4, 2))},
    MarkKind.REDIRECTED: {"redirected_to": CodedName(
        code="AKIMAT-ALA", name="Алматы қаласының әкімдігі")},
    MarkKind.LEFT_WITHOUT_CONSIDERATION: {
        "reason_text": "Повторное обращение без новых доводов"},
    MarkKind.EXTENDED: {"extension": Extension(
        due=date(2025, 5, 14), reason="Запрошено заключение другого органа")},
}


def mark(kind: MarkKind, **extra) -> StatusMark:
    return StatusMark(
        mark_id="6f1c2a4e-0b7d-4c1e-9a51-2d3e4f5a6b7c",
        issuer=US,
        document=DocumentRef(our_id="42", sender_system="EGOV",
                             sender_document_id="ЖТ-2025-00012345"),
        kind=kind,
        at=datetime(2025, 3, 14, 10, 15, 30, 250000, tzinfo=ASTANA),
        **DETAILS.get(kind, {}),
        **extra,
    )


def signature() -> etree._Element:
    sig = etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS})
    info = etree.SubElement(sig, f"{{{DS}}}SignedInfo")
    etree.SubElement(info, f"{{{DS}}}CanonicalizationMethod",
                     Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
    etree.SubElement(sig, f"{{{DS}}}SignatureValue").text = "AAAA"
    return sig


@pytest.mark.parametrize("kind", list(MarkKind))
def test_every_mark_kind_round_trips_and_validates(kind):
    original = mark(kind, comment="Исполнитель: Жұмабаев Е. С.\nМерзімі: 15 жұмыс күні")
    root = reparse(status_mark_bytes(original))
    assert validate(root) is Family.STATUS_MARK
    assert read_status_mark(root) == original


def test_mark_details_must_match_kind():
    with pytest.raises(FormatError, match="a registered mark needs registration"):
        StatusMark(mark_id="1", issuer=US, kind=MarkKind.REGISTERED,
                   document=DocumentRef(our_id="1", sender_system="EGOV",
                                        sender_document_id="X1"),
                   at=datetime(2025, 1, 1, tzinfo=ASTANA))
    with pytest.raises(FormatError, match="a delivered mark has no refusal"):
        mark(MarkKind.DELIVERED, refusal=DETAILS[MarkKind.REFUSED]["refusal"])
    with pytest.raises(FormatError, match="At must carry a UTC offset"):
        StatusMark(mark_id="1", issuer=US, kind=MarkKind.DELIVERED,
                   document=DocumentRef(our_id="1", sender_system="EGOV",
                                        sender_document_id="X1"),
                   at=datetime(2025, 1, 1))


def letter(outcome: Outcome, **extra) -> ResponseLetter:
    fields = dict(
        letter_id="L-2025-0001",
        issuer=US,
        in_reply_to=ReplyRef(registration_number="ЖТ-Т-1234",
                             registration_date=date(2025, 3, 14), sender_system="ELICENSE",
                             sender_document_id="KZ19RFB00000009"),
        outgoing_number="01-12/345",
        outgoing_date=date(2025, 4, 2),
        outcome=outcome,
        language=Language.KK,
        text="Сіздің өтінішіңіз қаралды.\nҚұрметпен,",
        signer=Signer(name="Құрманғазиев Д. Ө.", position="Департамент басшысы"),
    )
    if outcome is Outcome.LICENCE_ISSUED:
        fields["issued_licence"] = IssuedLicence(number="KZ43LAA00012345",
                                                 issue_date=date(2025, 4, 1))
    if outcome is Outcome.LICENCE_REFUSED:
        fields["refusal_grounds"] = ("Несоответствие квалификационным требованиям",
                                     "Не представлены документы")
    if outcome in ISSUING_OUTCOMES:
        fields["issued"] = Issued(number="ТАЛОН-2025-000001", issue_date=date(2025, 4, 1),
                                  licence_number="KZ43LAA00012345",
                                  valid_from=date(2025, 4, 1), valid_to=date(2030, 3, 31))
    if outcome is Outcome.CONCLUSION_NEGATIVE:
        fields["refusal_grounds"] = ("Нет приточно-вытяжной вентиляции",)
    fields.update(extra)
    return ResponseLetter(**fields)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_letter_outcome_round_trips_and_validates(outcome):
    original = letter(outcome)
    root = reparse(response_letter_bytes(original))
    assert validate(root) is Family.RESPONSE_LETTER
    assert read_response_letter(root) == original


def test_letter_with_attachment_round_trips_and_checks_hashes():
    pdf = Attachment.of(file_name="жауап.pdf", media_type="application/pdf",
                        content=b"%PDF-1.4\n%%EOF\n", title="Жауап хат")
    original = letter(Outcome.EXPLAINED, attachments=(pdf,))
    root = reparse(response_letter_bytes(original))
    assert read_response_letter(root) == original
    root.find("{urn:qujat:common:1}Attachments/{urn:qujat:common:1}Attachment/"
              "{urn:qujat:common:1}Sha256").text = "f" * 64
    with pytest.raises(FormatError, match="attachment '.*': declared SHA-256"):
        read_response_letter(root)


def test_letter_outcome_details_must_match():
    with pytest.raises(FormatError, match="issued licence goes with the outcome"):
        letter(Outcome.SATISFIED, issued_licence=IssuedLicence(number="1",
                                                                issue_date=date(2025, 1, 1)))
    with pytest.raises(FormatError, match="grounds go with a refusal"):
        letter(Outcome.LICENCE_REFUSED, refusal_grounds=())


def _documents() -> list[tuple[str, etree._Element]]:
    return [
        ("appeal", build_document(sample_document("appeal", seed=1))),
        ("application", build_document(sample_document("licence-reissue", seed=1))),
        ("status mark", build_status_mark(mark(MarkKind.REGISTERED))),
        ("response letter", build_response_letter(letter(Outcome.LICENCE_ISSUED))),
    ]


@pytest.mark.parametrize(("name", "root"), _documents(), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_signatures_appended_at_the_end_still_validate(name, root):
    root.append(signature())
    root.append(signature())  # a second, sequential signature (seed 000: RSA then GOST)
    validate(reparse(root))


def test_signature_stripped_tree_reads_as_the_verifier_returns_it():
    original = mark(MarkKind.EXECUTED)
    root = reparse(status_mark_bytes(original))
    root.append(signature())
    validate(root)
    root.remove(root[-1])
    assert read_status_mark(root, validated=True) == original


def test_readers_refuse_the_wrong_family():
    mark_root = reparse(status_mark_bytes(mark(MarkKind.DELIVERED)))
    with pytest.raises(SchemaViolation, match="expected an appeal or an application"):
        read_document(mark_root)
    with pytest.raises(SchemaViolation, match="expected an appeal or an application"):
        read_envelope(mark_root)
    with pytest.raises(SchemaViolation, match="expected a response letter"):
        read_response_letter(mark_root)
    letter_root = reparse(response_letter_bytes(letter(Outcome.SATISFIED)))
    with pytest.raises(SchemaViolation, match="expected a status mark"):
        read_status_mark(letter_root)


def test_mark_for_another_kind_is_refused_by_schema():
    root = build_status_mark(mark(MarkKind.DELIVERED))
    delivered = root.find("{urn:qujat:status-mark:1}Delivered")
    etree.SubElement(delivered, "{urn:qujat:status-mark:1}Number").text = "1"
    with pytest.raises(SchemaViolation, match="content type is empty") as caught:
        validate(reparse(root))
    assert caught.value.rule == (
        "cvc-complex-type.2.1: this element must be empty at StatusMark/Delivered"
    )


def test_a_notification_letter_names_its_talon_and_no_licence():
    with pytest.raises(FormatError, match="issued goes with an issuing outcome"):
        letter(Outcome.NOTIFICATION_ACCEPTED, issued=None)
    with pytest.raises(FormatError, match="issued licence goes with the outcome"):
        letter(Outcome.NOTIFICATION_ACCEPTED, issued_licence=IssuedLicence(
            number="KZ2026LIC000001", issue_date=date(2025, 1, 1)))
    root = reparse(response_letter_bytes(letter(Outcome.NOTIFICATION_ACCEPTED)))
    assert root.find(".//{urn:qujat:response-letter:1}LicenceIssued") is None
    accepted = root.find(".//{urn:qujat:response-letter:1}NotificationAccepted")
    assert accepted.findtext("{urn:qujat:response-letter:1}Number") == "ТАЛОН-2025-000001"
