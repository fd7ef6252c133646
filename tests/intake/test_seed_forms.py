"""The portals' forms as a citizen fills them (seeds 000-004), signed and posted over HTTP:
each is accepted, and what the form carried is kept on the document."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from lxml import etree

from app.documents.models import Document
from app.extensions import db
from app.formats.choices import LicenceCategory
from app.formats.model import (
    Address,
    Attachment,
    Contacts,
    LicenceRef,
    LicenceRestore,
    NumberingPermit,
    NumberingTerritory,
    Payment,
)
from qujat_demo.portal.documents import author_from_certificate


def accepted(app, response) -> dict:
    assert response.status_code == 202, response.json
    assert response.json["verification"]["indication"] == "PASSED", response.json
    with app.app_context():
        return db.session.get(Document, response.json["id"]).content


def test_seed_004_an_appeal_with_a_one_line_address_and_no_phone(app, portal):
    contacts = Contacts(address=Address.one_line("г. Астана, ул Мирзояна 11/4, кв 44"),
                        email="ainura_k_mi@mail.ru")

    content = accepted(app, portal.send("appeal", contacts=contacts))

    assert content["contacts"]["address"] == {"line": "г. Астана, ул Мирзояна 11/4, кв 44"}
    assert content["contacts"]["phones"] == []


def test_seed_000_a_restoration_as_elicense_fills_it(app, portal):
    contacts = Contacts(
        address=Address(city="г.Астана", postcode="010000", street_ru="КҮЙШИ ДИНА",
                        street_kk="КҮЙШИ ДИНА", house="123", flat="123"),
        phones=("8 71 72 123456",),
    )
    details = LicenceRestore(category=LicenceCategory.LICENCE, licence=LicenceRef(
        series="15", number="1111", issue_date=date(2012, 9, 14)))

    content = accepted(app, portal.send("licence-restore", sender="ELICENSE",
                                        contacts=contacts, details=details))

    assert content["contacts"]["address"]["house"] == "123"
    assert content["contacts"]["address"]["house_index"] is None
    assert content["details"]["licence"] == {"series": "15", "number": "1111",
                                             "issue_date": "2012-09-14"}


def test_seed_002_a_numbering_permit_with_house_index_and_representative_address(app, portal):
    author = dataclasses.replace(
        author_from_certificate(portal.key("legal_head_sign").certificate, legal=True),
        representative_address="г. Астана, ул. Орынбор, 8")
    contacts = Contacts(
        address=Address(city="Есіл ауданы", postcode="010000", street_ru="ОРЫНБОР",
                        street_kk="ОРЫНБОР", house="8, Министерств, блок А, Серверный центр",
                        house_index="5"),
        phones=("124365",),
    )
    details = NumberingPermit(
        resource=sample_resource(),
        territories=(NumberingTerritory(name="Алматы қ.", area_code="727", count=100),),
    )

    content = accepted(app, portal.send("numbering-permit", sender="ELICENSE",
                                        key="legal_head_sign", author=author,
                                        contacts=contacts, details=details))

    assert content["contacts"]["address"]["house_index"] == "5"
    assert content["author"]["representative_address"] == "г. Астана, ул. Орынбор, 8"


def sample_resource():
    from qujat_demo.samples import sample_document

    details = sample_document("numbering-permit", seed=1).details
    assert isinstance(details, NumberingPermit)
    return details.resource


def test_seed_001_the_payment_block_with_its_receipt(app, portal):
    receipt = Attachment.of(file_name="kvitanciya.pdf", media_type="application/pdf",
                            content=b"%PDF-1.4 receipt", title="Квитанция")
    payment = Payment(amount=Decimal("19660.00"), date=date(2025, 3, 3),
                      document_number="000123456", receipt="kvitanciya.pdf")

    content = accepted(app, portal.send("licence-new", sender="ELICENSE",
                                        attachments=(receipt,), payment=payment))

    assert content["payment"] == {"amount": "19660.00", "date": "2025-03-03",
                                  "document_number": "000123456", "receipt": "kvitanciya.pdf"}


def test_seed_003_an_inspection_request_with_region_and_district_from_the_lists(app, portal):
    from qujat_demo.samples import sample_document

    sample = sample_document("inspection-request", seed=1).details
    details = dataclasses.replace(sample, region="г. Алматы", region_code="ALA",
                                  district="Медеуский район", district_code="ALA-MED",
                                  readiness_date=date(2026, 12, 20), staff_count=12)

    content = accepted(app, portal.send("inspection-request", details=details))

    assert (content["details"]["region_code"], content["details"]["district_code"]) == (
        "ALA", "ALA-MED")
    assert content["details"]["readiness_date"] == "2026-12-20"


def test_a_payment_naming_a_receipt_that_is_not_attached_is_refused(portal):
    root = etree.fromstring(portal.signed("licence-new", sender="ELICENSE"))
    receipt = next(root.iter("{*}Receipt"), None)
    if receipt is None:  # this seed drew no payment: add one naming a file not sent
        kind = next(e for e in root if etree.QName(e).localname == "LicenceNew")
        ns = etree.QName(kind).namespace
        payment = etree.Element(f"{{{ns}}}Payment")
        for name, value in (("Amount", "100.00"), ("Date", "2025-01-01"),
                            ("DocumentNumber", "1")):
            etree.SubElement(payment, f"{{{ns}}}{name}").text = value
        receipt = etree.SubElement(payment, f"{{{ns}}}Receipt")
        kind.addnext(payment)
    receipt.text = "not-attached.pdf"

    response = portal.post(etree.tostring(root), sender="ELICENSE")

    assert response.status_code == 422
    assert response.json["rule"] == "payment-receipt"


def test_an_application_without_a_phone_is_refused_by_name(portal):
    root = etree.fromstring(portal.signed("licence-new", sender="ELICENSE"))
    for phone in list(root.iter("{*}Phone")):
        phone.getparent().remove(phone)

    response = portal.post(etree.tostring(root), sender="ELICENSE")

    assert response.status_code == 422
    assert response.json["rule"] == "contacts-phone"


def test_the_clerk_sees_the_payment_and_the_one_line_address(app, portal, login):
    receipt = Attachment.of(file_name="kvitanciya.pdf", media_type="application/pdf",
                            content=b"%PDF-1.4 receipt", title="Квитанция")
    payment = Payment(amount=Decimal("3932.00"), date=date(2025, 3, 3),
                      document_number="PP-77", receipt="kvitanciya.pdf")
    paid = portal.send("licence-new", sender="ELICENSE", attachments=(receipt,),
                       payment=payment).json["id"]
    appeal = portal.send("appeal", contacts=Contacts(
        address=Address.one_line("г. Астана, ул Мирзояна 11/4, кв 44"))).json["id"]
    clerk = login("clerk")

    page = clerk.get(f"/documents/{paid}").text
    appeal_page = clerk.get(f"/documents/{appeal}").text

    # the amount as Russian offices write it (the clerk's default language)
    assert "3\u00a0932,00\u00a0₸" in page and "PP-77" in page and "03.03.2025" in page
    assert "3932.00" not in page
    assert f"/documents/{paid}/attachments/" in page.split("PP-77")[1].split("</dl>")[0]
    assert "г. Астана, ул Мирзояна 11/4, кв 44" in appeal_page
