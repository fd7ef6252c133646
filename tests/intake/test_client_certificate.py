"""A portal's token holds only with the TLS client certificate pinned for it.

nginx checks every portal's client certificate against the portals' CA and forwards the one
it verified (X-SSL-Client-Cert, deploy/nginx.conf); the app, behind that trusted proxy,
accepts a pinned sender's token only with that sender's own certificate. So a portal's
certificate with another portal's stolen token is refused, and a request straight to the
app cannot forge the header.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from app import create_app
from app.documents.client_certificates import read_pem
from app.documents.models import Document, Sender
from app.documents.senders import forget_senders, pin_certificate
from app.documents.storage import blob_store
from app.errors import ConfigError
from app.extensions import db
from app.intake.models import IntakeAttempt
from tests.conftest import SENDER_TOKENS, app_config
from tests.portal_tls import PortalsCa, TlsCertificate


@pytest.fixture(scope="module")
def portals_ca() -> PortalsCa:
    return PortalsCa()


@pytest.fixture(scope="module")
def egov_cert(portals_ca) -> TlsCertificate:
    return portals_ca.issue("egov.kz")


@pytest.fixture(scope="module")
def elicense_cert(portals_ca) -> TlsCertificate:
    return portals_ca.issue("elicense.kz")


@pytest.fixture(autouse=True)
def _senders_looked_up_afresh():
    """A pin is rolled back with its test: the process's cache of senders must not keep it."""
    yield
    forget_senders()


@pytest.fixture
def configure(app):
    """Run the test under other settings (as QUJAT_* would give them), restored after."""
    original = app.extensions["qujat.settings"]

    def change(**settings):
        app.extensions["qujat.settings"] = dataclasses.replace(original, **settings)

    yield change
    app.extensions["qujat.settings"] = original


@pytest.fixture
def behind_proxy(configure):
    """The app as production runs it: behind nginx (qujat_trusted_proxies = 1)."""
    configure(trusted_proxies=1)


def pin(app, code: str, certificate: TlsCertificate) -> None:
    """What `qujat sender pin-certificate CODE PEMFILE` does."""
    with app.app_context():
        sender = db.session.scalar(select(Sender).where(Sender.code == code))
        pin_certificate(sender, read_pem(certificate.pem))
        db.session.commit()


def post(portal, xml: bytes, *, sender: str = "EGOV", headers: dict | None = None):
    return portal.client.post("/api/v1/documents", data=xml, content_type="application/xml",
                              headers={"Authorization": f"Bearer {SENDER_TOKENS[sender]}",
                                       **(headers or {})})


def pull_marks(client, *, sender: str = "EGOV", headers: dict | None = None):
    return client.get("/api/v1/marks", headers={
        "Authorization": f"Bearer {SENDER_TOKENS[sender]}", **(headers or {})})


def documents() -> int:
    return db.session.scalar(select(func.count()).select_from(Document))


def last_attempt() -> IntakeAttempt:
    return db.session.scalars(select(IntakeAttempt).order_by(IntakeAttempt.id.desc())).first()


def test_a_pinned_portal_with_its_own_certificate_is_served(app, portal, behind_proxy,
                                                            egov_cert):
    pin(app, "EGOV", egov_cert)

    sent = post(portal, portal.signed("appeal"), headers=egov_cert.forwarded)

    assert sent.status_code == 202, sent.json
    resource = portal.client.get(sent.headers["Location"], headers={
        "Authorization": f"Bearer {SENDER_TOKENS['EGOV']}", **egov_cert.forwarded})
    assert resource.status_code == 200 and resource.json["id"] == sent.json["id"]
    marks = pull_marks(portal.client, headers=egov_cert.forwarded)
    assert marks.status_code == 200
    assert sent.json["id"] in {mark["document_id"] for mark in marks.json["marks"]}


def test_a_stolen_token_with_another_portals_certificate_is_refused_and_nothing_stored(
        app, portal, behind_proxy, egov_cert, elicense_cert):
    pin(app, "EGOV", egov_cert)
    # bytes never sent before (the directory's blobs outlive each test's rollback)
    xml = portal.signed("appeal", sender_document_id=f"STOLEN-{uuid.uuid4().hex}")
    with app.app_context():
        before = documents()

    # ELICENSE's own certificate, which nginx verifies (the same CA), with EGOV's token
    refused = post(portal, xml, headers=elicense_cert.forwarded)

    assert refused.status_code == 403
    assert refused.json["error"] == "client_certificate_mismatch"
    assert refused.json["sender"] == "EGOV"
    assert refused.json["presented_subject"] == elicense_cert.subject
    assert refused.json["presented_sha256"] == elicense_cert.sha256
    assert "not the one pinned for the sender 'EGOV'" in refused.json["message"]
    assert elicense_cert.subject in refused.json["message"]
    with app.app_context():
        assert documents() == before
        assert not blob_store().exists(hashlib.sha256(xml).hexdigest())
        attempt = last_attempt()
        # logged against the portal whose token was used, as its other refusals are
        assert db.session.get(Sender, attempt.sender_id).code == "EGOV"
        assert (attempt.status, attempt.outcome, attempt.raw_sha256) == (
            403, "client_certificate_mismatch", None)
        assert elicense_cert.subject in attempt.message
    # the marks and the documents' resources are held to the same certificate
    assert pull_marks(portal.client, headers=elicense_cert.forwarded).json["error"] == \
        "client_certificate_mismatch"


def test_a_pinned_portal_without_a_certificate_is_refused(app, portal, behind_proxy,
                                                          egov_cert):
    pin(app, "EGOV", egov_cert)

    refused = post(portal, portal.signed("appeal"))

    assert refused.status_code == 403
    assert refused.json["error"] == "client_certificate_missing"
    assert "The sender 'EGOV' has a pinned client certificate" in refused.json["message"]
    assert "the reverse proxy forwarded none" in refused.json["message"]
    assert pull_marks(portal.client).status_code == 403
    with app.app_context():
        assert last_attempt().outcome == "client_certificate_missing"


def test_without_a_trusted_proxy_the_header_is_not_believed(app, portal, egov_cert):
    # qujat_trusted_proxies = 0: whoever reaches the app can write X-SSL-Client-Cert, so
    # it is never read: even the right certificate in it does not help a forger
    pin(app, "EGOV", egov_cert)

    refused = post(portal, portal.signed("appeal"), headers=egov_cert.forwarded)

    assert refused.status_code == 403
    assert refused.json["error"] == "client_certificate_missing"
    assert "no reverse proxy is trusted" in refused.json["message"]
    assert pull_marks(portal.client, headers=egov_cert.forwarded).status_code == 403


def test_an_unpinned_portal_is_served_on_its_token_as_before(app, portal, behind_proxy,
                                                             egov_cert, elicense_cert):
    pin(app, "EGOV", egov_cert)

    # ELICENSE has no certificate pinned: the token alone, whatever nginx let through
    assert post(portal, portal.signed("licence-new", sender="ELICENSE"), sender="ELICENSE",
                headers=egov_cert.forwarded).status_code == 202
    assert post(portal, portal.signed("licence-new", sender="ELICENSE"),
                sender="ELICENSE").status_code == 202


def test_when_every_portal_must_be_pinned_an_unpinned_one_is_refused(
        app, portal, configure, egov_cert, elicense_cert):
    configure(trusted_proxies=1, require_client_certificate=True)
    pin(app, "EGOV", egov_cert)

    refused = post(portal, portal.signed("licence-new", sender="ELICENSE"), sender="ELICENSE",
                   headers=elicense_cert.forwarded)
    served = post(portal, portal.signed("appeal"), headers=egov_cert.forwarded)

    assert refused.status_code == 403
    assert refused.json["error"] == "client_certificate_not_pinned"
    assert "'qujat sender pin-certificate ELICENSE PEMFILE'" in refused.json["message"]
    assert pull_marks(portal.client, sender="ELICENSE",
                      headers=elicense_cert.forwarded).status_code == 403
    assert served.status_code == 202, served.json


def _two_certificates(egov: TlsCertificate, elicense: TlsCertificate) -> dict[str, str]:
    both = TlsCertificate(pem=egov.pem + elicense.pem, subject="", sha256="")
    return both.forwarded


@pytest.mark.parametrize(("header", "says"), [
    ("garbage", "no PEM certificate"),
    ("%ZZ%C3%28", "not URL-encoded PEM"),
    ("-----BEGIN%20CERTIFICATE-----%0Abm90IGEgY2VydGlmaWNhdGU%3D%0A-----END%20CERTIFICATE-----",
     "does not parse"),
    ("two", "holds 2 certificates"),
])
def test_a_malformed_forwarded_certificate_is_a_clear_refusal_not_a_crash(
        app, portal, behind_proxy, egov_cert, elicense_cert, header, says):
    pin(app, "EGOV", egov_cert)
    forwarded = _two_certificates(egov_cert, elicense_cert) if header == "two" \
        else {"X-SSL-Client-Cert": header}

    refused = post(portal, portal.signed("appeal"), headers=forwarded)

    assert refused.status_code == 403, refused.json
    assert refused.json["error"] == "client_certificate_unreadable"
    assert "cannot be read" in refused.json["message"] and says in refused.json["message"]
    assert pull_marks(portal.client, headers=forwarded).json["error"] == \
        "client_certificate_unreadable"


def test_requiring_certificates_without_a_trusted_proxy_is_refused_at_start(pki, database_url,
                                                                            tmp_path):
    config = app_config(pki, database_url, tmp_path) | {
        "QUJAT_REQUIRE_CLIENT_CERTIFICATE": True}

    with pytest.raises(ConfigError, match="QUJAT_REQUIRE_CLIENT_CERTIFICATE needs "
                                          "QUJAT_TRUSTED_PROXIES"):
        create_app(config)
