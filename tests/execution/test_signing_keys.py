"""The official's key must be hers, for signing, from the state bodies' CA, valid and not
revoked; anything else is refused and the reply stays waiting for her signature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)

from app.documents.states import DocumentState
from app.documents.storage import blob_store
from app.errors import Refused
from app.execution.signing import sign_letter
from app.settings import Body
from app.timeutil import utcnow
from app.xmlsig.trust_store import load_policy
from tests.execution import road
from tests.factories import Org, make_document
from tests.xmlsig.certbuilder import Pki, crl, leaf, p12_with_iterations, pem

NOW = datetime.now(UTC)
OFFICIAL_IIN = "830417401559"  # Org() gives the signer this IIN


@pytest.fixture(scope="module")
def state_ca():
    """A stand-in УЦ ГО with the official's keys of every kind, and its fresh CRL."""
    ca = Pki.create(root_name="МО НЕГІЗГІ КО TEST", ca_name="МО КО TEST")

    def key(**kwargs):
        return leaf(issuer=ca.ca, iin=kwargs.pop("iin", OFFICIAL_IIN), surname="ҚАСЫМОВА",
                    first_name="АЙГЕРІМ", start=kwargs.pop("start", NOW - timedelta(days=30)),
                    end=kwargs.pop("end", NOW + timedelta(days=300)), **kwargs)

    keys = {
        "valid": key(),
        "authentication": key(purpose="auth"),
        "expired": key(start=NOW - timedelta(days=400), end=NOW - timedelta(days=1)),
        "revoked": key(),
        "someone_else": key(iin="850314301283"),
    }
    revocations = crl(issuer=ca.ca, this_update=NOW - timedelta(hours=1),
                      next_update=NOW + timedelta(days=7),
                      revoked=[(keys["revoked"].certificate.serial_number,
                                NOW - timedelta(days=2), None)])
    root_crl = crl(issuer=ca.root, this_update=NOW - timedelta(hours=1),
                   next_update=NOW + timedelta(days=7))
    policy = load_policy(anchors=[pem(ca.root.certificate)],
                         intermediates=[pem(ca.ca.certificate)],
                         crls=[revocations.public_bytes(Encoding.DER),
                               root_crl.public_bytes(Encoding.DER)],
                         revocation_required=True)
    p12 = {name: pkcs12.serialize_key_and_certificates(
        b"key", issued.key, issued.certificate, None, BestAvailableEncryption(b"Qwerty12"))
        for name, issued in keys.items()}
    return policy, p12


def _waiting_for_signature(org):
    return road.approved(road.submitted(road.drafted(road.assigned(
        road.registered(make_document(), org), org), org), org), org)


def _sign(doc, org, policy, data):
    return sign_letter(doc, official=org.signer, pkcs12=data, password="Qwerty12", now=utcnow(),
                       policy=policy, body=Body("MIO-TEST", "Тест орган", "Asia/Almaty"),
                       store=blob_store())


@pytest.mark.parametrize(("kind", "reason"), [
    ("authentication", "SIG_CONSTRAINTS_FAILURE"),
    ("expired", "EXPIRED"),
    ("revoked", "REVOKED"),
    ("someone_else", "not_your_key"),
])
def test_a_key_that_is_not_hers_to_sign_with_is_refused(db_session, state_ca, kind, reason):
    policy, p12 = state_ca
    org = Org()
    doc = _waiting_for_signature(org)

    with pytest.raises(Refused) as refused:
        _sign(doc, org, policy, p12[kind])

    assert refused.value.details["reason"] == reason
    assert doc.state is DocumentState.ON_SIGNATURE and not doc.letters
    # in words, with what to do: no report codes, no "None"
    said = str(refused.value.message)
    assert reason not in said and "None" not in said and "_" not in said
    assert ("выданным Вам" in said) if reason != "not_your_key" else ("свой файл ключа" in said)


def test_her_own_valid_signing_key_signs(db_session, state_ca):
    policy, p12 = state_ca
    org = Org()
    doc = _waiting_for_signature(org)

    letter = _sign(doc, org, policy, p12["valid"])

    assert doc.state is DocumentState.ANSWERED
    assert "ҚАСЫМОВА" in letter.certificate_subject


def test_a_key_file_asking_for_ten_million_iterations_is_refused_at_once(db_session, state_ca):
    policy, p12 = state_ca
    org = Org()
    doc = _waiting_for_signature(org)

    with pytest.raises(Refused) as refused:
        _sign(doc, org, policy, p12_with_iterations(p12["valid"], mac=10_000_000))

    assert refused.value.details["reason"] == "unreadable"
    assert refused.value.code == "key_iterations_too_many"
    assert (refused.value.details["count"], refused.value.details["maximum"]) == (
        10_000_000, 100_000)
    # the official reads the count in her language, not "check the password"
    assert "10 000 000" in str(refused.value) and "пароль" not in str(refused.value)
    assert doc.state is DocumentState.ON_SIGNATURE and not doc.letters
