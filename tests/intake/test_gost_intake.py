"""A GOST-signed appeal through the intake API of an office whose own key is GOST: the
verdict is PASSED and the delivery mark comes back signed with GOST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import create_app
from app.extensions import db
from app.xmlsig.trust_store import load_policy
from app.xmlsig.verifier import verify_bytes
from tests.conftest import Portal, app_config

GOST_SIGNATURE = "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512"


@pytest.fixture
def gost_office(app, committed_db, pki, database_url, tmp_path):
    """The same database, served by an office whose system key is GOST: a second app
    with its own engine, so it reads and writes with real commits (committed_db)."""
    config = app_config(pki, database_url, tmp_path / "blobs")
    config["QUJAT_SYSTEM_KEY"] = str(pki.keys["gost_system_sign"].path)
    office = create_app(config)
    yield office
    with office.app_context():  # its own connection pool: closed here, not by the GC
        db.session.remove()
        db.engine.dispose()


def test_a_gost_appeal_is_accepted_and_answered_with_a_gost_mark(gost_office, pki):
    portal = Portal(pki, gost_office.test_client())
    answer = portal.send("appeal", key="gost_individual_sign")

    assert answer.status_code == 202, answer.json
    assert answer.json["verification"]["indication"] == "PASSED"
    mark = answer.json["delivery_mark"].encode()
    assert GOST_SIGNATURE.encode() in mark
    policy = load_policy(anchors=[pki.gost_state_root], intermediates=[pki.gost_state_ca],
                         crls=[pki.gost_state_crl, pki.gost_state_root_crl])
    report = verify_bytes(mark, policy=policy, at=datetime.now(UTC)).report
    assert report.indication.value == "PASSED", report.to_dict()
    assert "GOST" in report.signatures[0].algorithm


def test_a_revoked_gost_key_is_refused_a_passed_verdict(gost_office, pki):
    portal = Portal(pki, gost_office.test_client())
    answer = portal.send("appeal", key="gost_individual_revoked_sign")

    assert answer.status_code == 202
    assert answer.json["verification"]["indication"] == "FAILED"
    assert answer.json["verification"]["sub_indication"] == "REVOKED"
