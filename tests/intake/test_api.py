"""The intake API, end to end: documents from the portal simulator through HTTP."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree
from sqlalchemy import func, select

from app.documents.models import Document
from app.documents.storage import blob_store
from app.extensions import db
from app.intake.models import IntakeAttempt
from app.marks.models import Mark
from qujat_demo.samples import SAMPLE_KINDS


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_signed_appeal_is_accepted_with_a_signed_delivery_mark(app, portal, pki):
    xml = portal.signed("appeal")

    response = portal.post(xml)

    assert response.status_code == 202, response.json
    body = response.json
    assert body["state"] == "received"
    assert body["verification"] == {"indication": "PASSED", "sub_indication": None}
    assert "<ds:Signature" in body["delivery_mark"]
    with app.app_context():
        document = db.session.get(Document, body["id"])
        assert document.author_iin == pki.keys["individual_sign"].iin
        assert document.kind == "appeal_individual"
        assert blob_store().get(document.raw_sha256) == xml
        assert [m.kind.value for m in document.marks] == ["delivered"]
        assert [h.action.value for h in document.history] == ["receive"]


def test_the_delivery_mark_verifies_against_the_state_bodies_ca(portal, pki):
    from datetime import UTC, datetime

    from app.xmlsig.trust_store import load_policy
    from qujat_demo.portal.marks import verify_mark

    xml = portal.signed("appeal", sender_document_id="MARK-CHECK-1")
    body = portal.post(xml).json
    policy = load_policy(anchors=[pki.state_root], intermediates=[pki.state_ca],
                         crls=[pki.state_crl])

    checked = verify_mark(body["delivery_mark"].encode(), policy=policy, at=datetime.now(UTC))

    assert checked.indication == "PASSED"
    assert checked.mark.kind.value == "delivered"
    assert checked.mark.document.sender_document_id == "MARK-CHECK-1"
    assert checked.mark.document.our_id == f"D{body['id']}"


@pytest.mark.parametrize("kind", sorted(SAMPLE_KINDS))
def test_every_kind_is_accepted_and_passes(app, portal, kind):
    response = portal.send(kind, sender="ELICENSE" if kind.startswith(("licence", "numbering"))
                           else "EGOV")

    assert response.status_code == 202, response.json
    assert response.json["verification"]["indication"] == "PASSED", response.json


@pytest.mark.parametrize(("key", "sub_indication"), [
    ("individual_auth", "SIG_CONSTRAINTS_FAILURE"),
    ("individual_revoked_sign", "REVOKED"),
    ("legal_employee_sign", "SIG_CONSTRAINTS_FAILURE"),
])
def test_a_wrong_key_is_accepted_for_the_record_but_fails(portal, key, sub_indication):
    kind = "appeal-legal" if key.startswith("legal") else "appeal"

    response = portal.send(kind, key=key)

    assert response.status_code == 202
    assert response.json["verification"] == {"indication": "FAILED",
                                              "sub_indication": sub_indication}


def test_text_changed_after_signing_fails_with_a_hash_failure(app, portal):
    root = etree.fromstring(portal.signed("appeal"))
    short = next(root.iter("{*}ShortContent"))
    short.text += " (changed)"

    response = portal.post(etree.tostring(root))

    assert response.status_code == 202
    assert response.json["verification"]["indication"] == "FAILED"
    with app.app_context():
        assert db.session.get(Document, response.json["id"]).content_unverified is True


def test_a_signer_who_is_not_the_author_fails(portal, pki):
    from app.formats.model import Author

    someone_else = Author.individual(iin=pki.keys["individual_revoked_sign"].iin,
                                     surname="Жұмабаева", name="Сәуле")
    response = portal.send("appeal", author=someone_else)

    assert response.json["verification"]["indication"] == "FAILED"
    assert response.json["verification"]["sub_indication"] == "SIG_CONSTRAINTS_FAILURE"


def test_the_same_bytes_again_return_the_first_answer_and_create_nothing(app, portal):
    xml = portal.signed("appeal")
    first = portal.post(xml)

    again = portal.post(xml)

    assert again.status_code == 202
    assert again.json == first.json
    with app.app_context():
        assert count(Document) == 1
        assert count(Mark) == 1
        assert [a.outcome for a in db.session.scalars(select(IntakeAttempt))] == [
            "accepted", "replayed"]


def test_different_bytes_under_a_used_sender_id_conflict(portal):
    portal.post(portal.signed("appeal", sender_document_id="SAME-1"))

    response = portal.post(portal.signed("appeal", sender_document_id="SAME-1"))

    assert response.status_code == 409
    assert response.json["error"] == "sender_id_reused"


def test_not_xml_is_refused_but_the_bytes_are_kept(app, portal):
    raw = b"this is not xml at all"

    response = portal.post(raw)

    assert response.status_code == 400
    assert response.json["error"] == "not_xml"
    with app.app_context():
        assert blob_store().get(hashlib.sha256(raw).hexdigest()) == raw
        attempt = db.session.scalar(select(IntakeAttempt))
        assert (attempt.status, attempt.outcome) == (400, "not_xml")


def test_a_foreign_xml_names_the_namespace(portal):
    response = portal.post(b'<?xml version="1.0"?><order xmlns="urn:example:shop"/>')

    assert response.status_code == 422
    assert "urn:example:shop" in response.json["message"]


def test_a_schema_violation_names_the_rule(portal):
    root = etree.fromstring(portal.signed("appeal"))
    short = next(root.iter("{*}ShortContent"))
    short.getparent().remove(short)

    response = portal.post(etree.tostring(root))

    assert response.status_code == 422
    assert response.json["error"] == "schema_violation"
    # the element found where ShortContent was due, and what was expected there
    assert response.json["rule"] == ("cvc-complex-type.2.4: a required element is missing, "
                                     "or an element is out of place at Appeal/Text")
    assert "Expected is ( {urn:qujat:common:1}ShortContent )" in response.json["message"]


def test_an_invalid_iin_check_digit_is_refused(portal):
    root = etree.fromstring(portal.signed("appeal"))
    iin = next(root.iter("{*}Iin"))
    iin.text = iin.text[:-1] + str((int(iin.text[-1]) + 1) % 10)

    response = portal.post(etree.tostring(root))

    assert response.status_code == 422
    assert response.json["error"] == "schema_violation"
    assert response.json["rule"] == "iin-valid"
    assert response.json["message"] == f"IIN {iin.text}: check digit is {iin.text[-1]}, " \
        f"expected {(int(iin.text[-1]) - 1) % 10}"


def test_a_dtd_with_entities_is_refused(portal):
    response = portal.post(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')

    assert response.status_code == 400
    assert response.json["error"] == "not_xml"
    assert "a DOCTYPE declaration is not accepted (line 1)" in response.json["message"]


def test_billion_laughs_is_refused(portal):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    response = portal.post(
        f'<?xml version="1.0"?><!DOCTYPE a [{"".join(entities)}]><a>&lol9;</a>'.encode()
    )

    assert response.status_code == 400
    assert response.json["error"] == "not_xml"
    assert "a DOCTYPE declaration is not accepted (line 1)" in response.json["message"]


def test_ten_thousand_empty_signatures_are_refused_naming_the_limit(app, portal):
    # a 0.6 MB document whose verification ran past two minutes and ended in a killed
    # worker and a 500 without JSON; now counted before anything looks at a signature
    xml = portal.signed("appeal")
    end = xml.rindex(b"</")
    empty = b'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'
    flood = xml[:end] + empty * 10_000 + xml[end:]

    response = portal.post(flood)

    assert response.status_code == 422, response.json
    assert response.json["error"] == "limit_exceeded"
    assert response.json["limit"] == "max_signatures"
    assert response.json["maximum"] == 10
    assert "more than 10 ds:Signature elements" in response.json["message"]
    with app.app_context():
        attempt = db.session.scalar(select(IntakeAttempt))
        assert (attempt.status, attempt.outcome) == (422, "limit_exceeded")
        assert blob_store().get(attempt.raw_sha256) == flood
        assert count(Document) == 0


def test_oversized_input_is_refused_before_reading(app, portal):
    limit = app.config["QUJAT_MAX_DOCUMENT_BYTES"]
    response = portal.post(b"<a>" + b"x" * (limit + 1) + b"</a>")

    assert response.status_code == 413
    assert response.json["error"] in {"too_large", "request_entity_too_large"}


def test_wrong_media_type_is_415(portal):
    response = portal.post(portal.signed("appeal"), content_type="application/json")

    assert response.status_code == 415


def test_no_token_is_401_and_an_unknown_token_too(portal):
    xml = portal.signed("appeal")

    assert portal.client.post("/api/v1/documents", data=xml,
                              content_type="application/xml").status_code == 401
    assert portal.post(xml, token="guess").status_code == 401


def test_a_document_claiming_another_sender_system_is_403(portal):
    xml = portal.signed("appeal", sender="ELICENSE")

    response = portal.post(xml, sender="EGOV")

    assert response.status_code == 403


def test_marks_are_pulled_by_their_sender_only(portal):
    portal.send("appeal")
    portal.send("licence-new", key="legal_head_sign", sender="ELICENSE")

    egov = portal.client.get("/api/v1/marks?since=0",
                             headers={"Authorization": "Bearer egov-test-token"}).json
    assert [m["kind"] for m in egov["marks"]] == ["delivered"]
    later = portal.client.get(f"/api/v1/marks?since={egov['next_since']}",
                              headers={"Authorization": "Bearer egov-test-token"}).json
    assert later["marks"] == []
    bad = portal.client.get("/api/v1/marks?since=x",
                            headers={"Authorization": "Bearer egov-test-token"})
    assert bad.status_code == 400


def test_anonymous_attempts_are_counted_in_one_row_not_one_row_each(app, portal):
    xml = portal.signed("appeal")
    for _ in range(30):
        assert portal.post(xml, token="guess").status_code == 401

    with app.app_context():
        rows = list(db.session.scalars(select(IntakeAttempt)))
        assert len(rows) == 1
        assert (rows[0].status, rows[0].outcome, rows[0].count) == (401, "unauthenticated", 30)
        assert rows[0].client == "127.0.0.1" and rows[0].last_at is not None


# --- fields read as the signature sees them -------------------------------------------


def _verdict(app, xml: bytes) -> str:
    """What the verifier alone makes of ``xml``: the comments below must not break it."""
    from app.timeutil import utcnow
    from app.trust import current_policy
    from app.xmlsig.verifier import verify_bytes

    with app.app_context():
        return verify_bytes(xml, policy=current_policy(), at=utcnow()).report.indication.value


def test_a_comment_cannot_split_the_sender_system_past_the_token_check(app, portal):
    # signed as coming from EGOVX; a comment added after signing leaves the signature whole
    # (URI="" covers the document without comments), but the first text node reads "EGOV"
    xml = portal.signed("appeal", sender_system="EGOVX").replace(
        b">EGOVX<", b">EGOV<!--c-->X<")
    assert _verdict(app, xml) == "PASSED"

    response = portal.post(xml, sender="EGOV")

    assert response.status_code == 403, response.json
    assert response.json["sender_system"] == "EGOVX"


def test_a_comment_in_the_sender_id_does_not_turn_a_retry_into_a_conflict(app, portal):
    xml = portal.signed("appeal", sender_document_id="REPRO-ID-1").replace(
        b">REPRO-ID-1<", b">RE<!--c-->PRO-ID-1<")
    assert _verdict(app, xml) == "PASSED"

    first = portal.post(xml)
    again = portal.post(xml)

    assert first.status_code == 202, first.json
    assert first.json["sender_document_id"] == "REPRO-ID-1"
    assert again.status_code == 202, again.json
    assert again.json == first.json
    # and it is the same id as the one written without a comment
    other = portal.post(portal.signed("appeal", sender_document_id="REPRO-ID-1"))
    assert other.status_code == 409
    assert other.json["error"] == "sender_id_reused"


def test_an_unverified_document_is_read_whole_around_comments_and_instructions(app, portal):
    # the signature fails (the text changed after signing), so the fields come from the
    # received bytes: each in full, as canonical XML without comments would give it
    root = etree.fromstring(portal.signed("appeal"))
    short = next(root.iter("{*}ShortContent"))
    short.text = "Жол"
    comment = etree.Comment(" edited ")
    comment.tail = " жөндеу"
    instruction = etree.ProcessingInstruction("note", "x")
    instruction.tail = " керек"
    short.extend([comment, instruction])

    response = portal.post(etree.tostring(root))

    assert response.status_code == 202, response.json
    assert response.json["verification"]["indication"] == "FAILED"
    with app.app_context():
        document = db.session.get(Document, response.json["id"])
        assert document.content_unverified is True
        assert document.short_content == "Жол жөндеу керек"
