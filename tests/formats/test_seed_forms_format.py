"""The exchange formats as the portals' forms fill them (seeds 000-004) and the marks that
say what happened: new optional parts read back equal through XML and JSON, an older
document or mark without them stays valid, and what cannot be is refused by name."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from app.formats import (
    Address,
    CodedName,
    Contacts,
    DocumentRef,
    FormatError,
    MarkKind,
    StatusMark,
    build_document,
    build_status_mark,
    document_from_json,
    document_to_json,
    read_document,
    read_status_mark,
    validate,
)
from app.formats.choices import ExecutionDecision
from app.formats.model import Payment
from qujat_demo.samples import sample_document

from .conftest import reparse

ASTANA = timezone(timedelta(hours=5))


def roundtrip(document):
    assert read_document(reparse(build_document(document))) == document
    assert document_from_json(document_to_json(document)) == document


def test_a_one_line_address_without_a_phone_on_an_appeal():
    appeal = dataclasses.replace(sample_document("appeal", seed=1), contacts=Contacts(
        address=Address.one_line("г. Астана, ул Мирзояна 11/4, кв 44")))
    roundtrip(appeal)
    assert appeal.contacts.address.display == "г. Астана, ул Мирзояна 11/4, кв 44"


def test_house_index_representative_address_and_payment_on_an_application():
    document = sample_document("licence-new", seed=3)
    document = dataclasses.replace(
        document,
        contacts=dataclasses.replace(document.contacts, address=dataclasses.replace(
            document.contacts.address, house_index="5")),
        payment=Payment(amount=Decimal("19660.5"), date=date(2025, 3, 3),
                        document_number="000123", receipt=document.attachments[0].file_name))
    roundtrip(document)
    assert b"<Amount>19660.50</Amount>" in etree.tostring(build_document(document))


def test_region_and_district_codes_travel_with_the_names():
    request = sample_document("inspection-request", seed=2)
    assert request.details.region_code and request.details.district_code
    roundtrip(request)


def test_an_older_document_without_the_new_parts_still_reads():
    """A document as portals sent it before: no codes, no house index, no payment."""
    request = sample_document("inspection-request", seed=2)
    older = dataclasses.replace(request, details=dataclasses.replace(
        request.details, region_code=None, district_code=None))
    root = reparse(build_document(older))
    assert not root.xpath("//*[local-name()='RegionCode' or local-name()='HouseIndex' "
                          "or local-name()='Payment']")
    assert read_document(root) == older


@pytest.mark.parametrize(("change", "rule"), [
    (lambda d: dataclasses.replace(d, contacts=Contacts(address=d.contacts.address)),
     "contacts-phone"),
    (lambda d: dataclasses.replace(d, payment=Payment(
        amount=Decimal("1.00"), date=date(2025, 1, 1), document_number="1",
        receipt="missing.pdf")), "payment-receipt"),
    (lambda d: dataclasses.replace(d, payment=Payment(
        amount=Decimal("1.005"), date=date(2025, 1, 1), document_number="1")),
     "payment-amount"),
])
def test_what_an_application_cannot_be_is_named(change, rule):
    with pytest.raises(FormatError) as refused:
        change(sample_document("licence-new", seed=1))
    assert refused.value.rule == rule


def test_an_address_is_either_one_line_or_its_parts():
    with pytest.raises(FormatError) as refused:
        Address(line="г. Астана", city="Астана")
    assert refused.value.rule == "address-line"
    with pytest.raises(FormatError):
        Address(city="Астана", postcode="010000", street_ru="Мирзояна")  # no house


def executed(**extra) -> StatusMark:
    return StatusMark(
        mark_id="M7", issuer=CodedName(code="MIO", name="Орган"),
        document=DocumentRef(our_id="D1", sender_system="ELICENSE",
                             sender_document_id="KZ19RFB00000009"),
        kind=MarkKind.EXECUTED, at=datetime(2026, 12, 2, 10, 0, tzinfo=ASTANA), **extra)


def test_the_executed_mark_carries_decision_and_number_and_reads_back():
    mark = executed(decision=ExecutionDecision.ISSUED, issued_number="KZ2026LIC000001")
    root = reparse(build_status_mark(mark))
    validate(root)
    assert read_status_mark(root) == mark


def test_an_empty_executed_mark_of_before_stays_valid():
    root = reparse(build_status_mark(executed()))
    assert root.find("{*}Executed") is not None and len(root.find("{*}Executed")) == 0
    assert read_status_mark(root) == executed()


def test_only_the_executed_mark_says_a_decision():
    with pytest.raises(FormatError):
        dataclasses.replace(executed(), kind=MarkKind.DELIVERED,
                            decision=ExecutionDecision.ISSUED)
