"""Documents we must refuse, each naming the rule it breaks."""

import copy
import dataclasses

import pytest
from lxml import etree

from app.formats import (
    MAX_ATTACHMENTS_BYTES,
    ApplicantStatus,
    Attachment,
    FormatError,
    IdentifierError,
    build_document,
    read_document,
    validate,
)
from app.formats.schemas import check_attachments_total
from app.xmlsig.errors import SchemaViolation
from qujat_demo.samples import sample_document

from .conftest import reparse

C = "{urn:qujat:common:1}"
A = "{urn:qujat:application:1}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


def appeal_root(seed: int = 3, kind: str = "appeal") -> etree._Element:
    return build_document(sample_document(kind, seed=seed))


def refusal(root: etree._Element) -> SchemaViolation:
    with pytest.raises(SchemaViolation) as caught:
        read_document(reparse(root))
    return caught.value


def test_wrong_namespace_names_it_and_what_we_accept():
    error = refusal(etree.fromstring(b'<Appeal xmlns="urn:qujat:appeal:2"/>'))
    assert error.rule == "known-namespace"
    assert "'urn:qujat:appeal:2'" in str(error)
    for accepted in ("urn:qujat:appeal:1", "urn:qujat:application:1",
                     "urn:qujat:status-mark:1", "urn:qujat:response-letter:1"):
        assert accepted in str(error)
    assert "no namespace" in str(refusal(etree.fromstring(b"<Appeal/>")))


def test_common_namespace_is_no_document():
    error = refusal(etree.fromstring(b'<Envelope xmlns="urn:qujat:common:1"/>'))
    assert error.rule == "known-namespace"


def test_unknown_root_in_a_known_namespace():
    error = refusal(etree.fromstring(b'<Letter xmlns="urn:qujat:appeal:1"/>'))
    assert error.rule.startswith("cvc-elt.1")


def test_missing_required_field_is_named():
    root = appeal_root()
    root.remove(root.find(f"{C}ShortContent"))
    error = refusal(root)
    assert "ShortContent" in str(error)
    assert error.rule.startswith("cvc-complex-type.2.4: a required element is missing")
    assert error.line == 1


def test_missing_surname_is_named():
    root = appeal_root()
    individual = root.find(f"{C}Author/{C}Individual")
    individual.remove(individual.find(f"{C}Surname"))
    error = refusal(root)
    assert error.rule.startswith("cvc-complex-type.2.4")
    assert error.rule.endswith("at Appeal/Author/Individual/Name")  # where Surname was due
    assert "Expected is ( {urn:qujat:common:1}Surname )" in str(error)


def test_two_activity_kinds_are_refused():
    root = build_document(sample_document("sanitary-notification", seed=2))
    activity = root.find(f"{A}SanitaryNotification/{A}Activity")
    activity.addnext(copy.deepcopy(activity))
    error = refusal(root)
    assert error.rule.endswith("at Application/SanitaryNotification/Activity[2]")
    assert "Activity" in str(error)


def test_two_application_kinds_are_refused():
    root = build_document(sample_document("licence-new", seed=2))
    other = build_document(sample_document("numbering-permit", seed=2))
    root.find(f"{A}LicenceNew").addnext(other.find(f"{A}NumberingPermit"))
    error = refusal(root)
    assert error.rule.startswith("cvc-complex-type.2.4")
    assert error.rule.endswith("at Application/NumberingPermit")


def test_sanitary_application_has_no_elicense_applicant_block():
    root = build_document(sample_document("inspection-request", seed=2))
    applicant = etree.Element(f"{A}Applicant")
    etree.SubElement(applicant, f"{A}SmallBusiness").text = "true"
    etree.SubElement(applicant, f"{A}SoleProprietor").text = "false"
    root.find(f"{A}InspectionRequest").addprevious(applicant)
    error = refusal(root)
    # after an Applicant block only the e-licensing kinds may follow
    assert error.rule.startswith("cvc-complex-type.2.4")
    assert error.rule.endswith("at Application/InspectionRequest")
    assert "{urn:qujat:application:1}LicenceNew" in str(error)


def test_attachment_hash_mismatch_is_named():
    root = build_document(sample_document("licence-new", seed=2))
    root.find(f"{C}Attachments/{C}Attachment/{C}Sha256").text = "0" * 64
    error = refusal(root)
    assert isinstance(error, FormatError)
    assert error.rule.startswith("attachment-sha256")
    assert error.field == "Application/Attachments/Attachment/Sha256"
    assert "'kvitanciya.pdf'" in str(error) and "0" * 64 in str(error)


def test_uppercase_hash_is_accepted():
    root = build_document(sample_document("licence-new", seed=2))
    sha = root.find(f"{C}Attachments/{C}Attachment/{C}Sha256")
    sha.text = sha.text.upper()
    assert read_document(reparse(root)) == sample_document("licence-new", seed=2)


def _oversized_appeal() -> bytes:
    half = MAX_ATTACHMENTS_BYTES // 2 + 1
    attachments = tuple(
        Attachment.of(file_name=f"scan-{i}.pdf", media_type="application/pdf",
                      content=bytes([i]) * half)
        for i in range(2)
    )
    document = dataclasses.replace(sample_document("appeal", seed=1), attachments=attachments)
    return etree.tostring(build_document(document))


def test_attachments_over_30_mb_in_all_are_refused():
    root = reparse(_oversized_appeal())
    with pytest.raises(SchemaViolation, match="more than the 31457280 bytes") as caught:
        validate(root)
    assert caught.value.rule.startswith("attachments-total: at most 30 MB")
    # a caller that skipped the schema still cannot get past the limit
    with pytest.raises(SchemaViolation, match="attachments-total|more than"):
        read_document(root, validated=True)


def test_the_limit_is_30_mb_exactly():
    def content(length: int) -> etree._Element:
        root = etree.Element(f"{C}Attachments")
        etree.SubElement(etree.SubElement(root, f"{C}Attachment"), f"{C}Content").text = (
            "A" * length
        )
        return root

    at_limit = MAX_ATTACHMENTS_BYTES // 3 * 4
    assert check_attachments_total(content(at_limit)) == 30 * 1024 * 1024
    with pytest.raises(SchemaViolation, match="more than the 31457280 bytes") as caught:
        check_attachments_total(content(at_limit + 4))
    assert caught.value.rule.startswith("attachments-total")


def test_a_comment_in_an_attachment_hides_nothing_from_the_30_mb_limit():
    root = etree.Element(f"{C}Attachments")
    content = etree.SubElement(etree.SubElement(root, f"{C}Attachment"), f"{C}Content")
    content.text = "AAAA"
    comment = etree.Comment(" the rest ")
    comment.tail = "A" * (MAX_ATTACHMENTS_BYTES // 3 * 4)
    content.append(comment)

    with pytest.raises(SchemaViolation, match="more than the 31457280 bytes"):
        check_attachments_total(root)


def test_every_field_is_read_whole_around_comments_and_instructions():
    root = appeal_root()
    iin = root.find(f"{C}Author/{C}Individual/{C}Iin")
    envelope = root.find(f"{C}Envelope")
    expected = read_document(reparse(root))
    for element in (iin, envelope.find(f"{C}SenderSystem"),
                    envelope.find(f"{C}SenderDocumentId"), envelope.find(f"{C}SentAt")):
        value = element.text
        element.text = value[:2]
        comment = etree.Comment("x")
        comment.tail = value[2:4]
        instruction = etree.ProcessingInstruction("pi", "y")
        instruction.tail = value[4:]
        element.extend([comment, instruction])

    assert read_document(reparse(root)) == expected


def test_invalid_iin_in_document_is_named():
    root = appeal_root()
    iin = root.find(f"{C}Author/{C}Individual/{C}Iin")
    iin.text = iin.text[:11] + str((int(iin.text[11]) + 1) % 10)
    error = refusal(root)
    assert isinstance(error, IdentifierError)
    assert "check digit" in str(error) and iin.text in str(error)
    assert error.field == "Appeal/Author/Individual/Iin"


def test_invalid_bin_in_document_is_named():
    root = appeal_root(kind="appeal-legal")
    bin_ = root.find(f"{C}Author/{C}LegalEntity/{C}Bin")
    bin_.text = bin_.text[:4] + "3" + bin_.text[5:]
    error = refusal(root)
    assert isinstance(error, IdentifierError)
    assert "digit 5 is 3" in str(error)
    assert error.field == "Appeal/Author/LegalEntity/Bin"


def test_invalid_representative_iin_is_named():
    root = appeal_root(kind="appeal-legal")
    root.find(f"{C}Author/{C}LegalEntity/{C}Representative/{C}Iin").text = "123456789011"
    error = refusal(root)
    assert error.field == "Appeal/Author/LegalEntity/Representative/Iin"


def test_iin_of_eleven_digits_is_a_schema_violation():
    root = appeal_root()
    root.find(f"{C}Author/{C}Individual/{C}Iin").text = "12345678901"
    error = refusal(root)
    assert error.rule.startswith("cvc-pattern-valid") and error.rule.endswith("Iin")


def test_sole_proprietor_must_be_an_individual():
    legal = sample_document("appeal-legal", seed=1).author
    document = dataclasses.replace(
        sample_document("licence-new", seed=1), author=legal,
        applicant=ApplicantStatus(small_business=True, sole_proprietor=False),
    )
    root = build_document(document)
    root.find(f"{A}Applicant/{A}SoleProprietor").text = "true"
    error = refusal(root)
    assert isinstance(error, FormatError)
    assert error.rule == "sole-proprietor-individual"


def test_time_without_offset_is_refused():
    root = appeal_root()
    root.find(f"{C}Envelope/{C}SentAt").text = "2025-03-14T10:15:00"
    assert refusal(root).rule.startswith("cvc-pattern-valid")


@pytest.mark.parametrize("name", ["../../etc/passwd", "..", "C:\\boot.ini", "a/b.pdf"])
def test_file_name_cannot_name_a_path(name):
    root = appeal_root(kind="licence-new")
    root.find(f"{C}Attachments/{C}Attachment/{C}FileName").text = name
    error = refusal(root)
    assert error.rule.startswith("cvc-pattern-valid")
    assert error.rule.endswith("at Application/Attachments/Attachment/FileName")


def test_common_block_in_the_wrong_namespace_is_refused():
    root = appeal_root()
    root.find(f"{C}Envelope").tag = "{urn:qujat:appeal:1}Envelope"
    error = refusal(root)
    assert error.rule.startswith("cvc-complex-type.2.4")
    assert error.rule.endswith("at Appeal/Envelope")
    assert "Expected is ( {urn:qujat:common:1}Envelope )" in str(error)


def test_foreign_element_at_the_end_is_refused():
    root = appeal_root()
    etree.SubElement(root, "{urn:example:extra}Note").text = "hello"
    assert refusal(root).rule.endswith("at Appeal/Note")


def test_foreign_attribute_on_the_root_is_refused():
    root = appeal_root()
    root.set("{urn:example:extra}flag", "1")
    error = refusal(root)
    assert error.rule.startswith("cvc-complex-type.3.2.1") and error.rule.endswith("at Appeal")
    assert "'{urn:example:extra}flag' is not allowed" in str(error)


def test_signature_elsewhere_than_the_end_is_refused():
    root = appeal_root()
    root.find(f"{C}ShortContent").addprevious(etree.Element(f"{DS}Signature"))
    error = refusal(root)
    assert error.rule.startswith("cvc-complex-type.2.4")
    assert error.rule.endswith("at Appeal/Signature")
