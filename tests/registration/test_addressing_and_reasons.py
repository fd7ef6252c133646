"""A document addressed to another body is flagged with the ways out, and the reasons of
InfoKazakhstan's warnings (seed 003) join the refusal catalogue, down to the signed mark."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from app.documents.models import Document
from app.extensions import db
from app.formats.choices import RefusalReason
from app.formats.model import CodedName
from app.marks.models import Mark
from app.registration import service
from app.registration.addressing import addressed_elsewhere
from app.settings import Body
from app.timeutil import utcnow
from tests.factories import make_document, user

OURS = Body(code="MIO-DEMO", name="Демо", zone="Asia/Almaty",
            recipients=frozenset({"AKIMAT-AST"}))


def addressed_to(code: str, n: int = 1) -> Document:
    document = make_document(n=n)
    document.content = {"recipient": {"code": code, "name": f"Орган {code}"}}
    return document


def test_a_document_for_another_body_is_flagged(db_session):
    assert addressed_elsewhere(addressed_to("MVD"), OURS) == CodedName(code="MVD",
                                                                       name="Орган MVD")
    assert addressed_elsewhere(addressed_to("AKIMAT-AST", 2), OURS) is None
    assert addressed_elsewhere(addressed_to("MIO-DEMO", 3), OURS) is None
    # a body that lists no recipients takes every document as its own
    assert addressed_elsewhere(addressed_to("MVD", 4), dataclasses.replace(
        OURS, recipients=frozenset())) is None


@pytest.fixture
def recipients(app):
    """The running app's body answering for the recipient AKIMAT-AST only."""
    settings = app.extensions["qujat.settings"]
    app.extensions["qujat.settings"] = dataclasses.replace(
        settings, body=dataclasses.replace(settings.body, recipients=OURS.recipients))
    yield
    app.extensions["qujat.settings"] = settings


def test_the_clerk_sees_the_flag_and_the_ways_out(app, recipients, login):
    with app.app_context():
        elsewhere = addressed_to("MVD").id
        ours = addressed_to("AKIMAT-AST", 2).id
        db.session.commit()
    clerk = login("clerk")

    flagged = clerk.get(f"/documents/{elsewhere}").text
    plain = clerk.get(f"/documents/{ours}").text

    assert "addressed-elsewhere" in flagged and "Орган MVD (MVD)" in flagged
    # the refusal offers the reason that fits
    assert '<option selected value="not_addressed_to_us">' in flagged
    assert "addressed-elsewhere" not in plain


@pytest.mark.parametrize("reason", [RefusalReason.WRONG_PHONE, RefusalReason.WRONG_EMAIL,
                                    RefusalReason.INACCURATE_DATA])
def test_seed_003s_reasons_refuse_with_a_schema_valid_signed_mark(app, portal, pki, reason):
    from app.xmlsig.trust_store import load_policy
    from qujat_demo.portal.marks import verify_mark

    document_id = portal.send("inspection-request").json["id"]
    with app.app_context():
        service.refuse(db.session.get(Document, document_id), clerk=user("clerk"),
                       now=utcnow(), reason=reason, text="Телефон не отвечает")
        db.session.commit()
        xml = db.session.scalars(select(Mark).where(Mark.document_id == document_id)
                                 .order_by(Mark.id.desc())).first().xml
    policy = load_policy(anchors=[pki.state_root], intermediates=[pki.state_ca],
                         crls=[pki.state_crl, pki.state_root_crl])

    checked = verify_mark(xml, policy=policy, at=utcnow())

    assert checked.indication == "PASSED", checked.summary
    assert checked.mark.refusal.reason is reason
