"""The administrator pins a portal's TLS client certificate on the command line (`qujat
sender pin-certificate CODE PEMFILE`, `unpin-certificate CODE`), each change chained into
the audit log, and sees on /admin/senders which certificate each portal is held to."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry, AuditKind
from app.cli import cli
from app.documents.client_certificates import short_fingerprint
from app.documents.models import Sender
from app.documents.senders import forget_senders
from app.extensions import db
from tests.portal_tls import PortalsCa, TlsCertificate


@pytest.fixture(scope="module")
def portals_ca() -> PortalsCa:
    return PortalsCa()


@pytest.fixture(autouse=True)
def _senders_looked_up_afresh():
    yield
    forget_senders()


@pytest.fixture
def qujat(app, tmp_path):
    """`qujat ...` as the operator types it; a certificate is handed over as a PEM file."""
    runner = app.test_cli_runner()

    def run(*args: str | TlsCertificate):
        words = []
        for n, arg in enumerate(args):
            if isinstance(arg, TlsCertificate):
                path = tmp_path / f"certificate-{n}.pem"
                path.write_bytes(arg.pem)
                arg = str(path)
            words.append(arg)
        return runner.invoke(cli, words)

    return run


def _sender(code: str) -> Sender:
    return db.session.scalar(select(Sender).where(Sender.code == code))


def _entries(kind: AuditKind) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.kind == kind)
                                   .order_by(AuditEntry.id)))


def test_pinning_and_unpinning_a_portals_certificate_is_audited(app, qujat, portals_ca):
    first, renewed = portals_ca.issue("egov.kz"), portals_ca.issue("egov.kz", days=730)

    pinned = qujat("sender", "pin-certificate", "EGOV", first)
    replaced = qujat("sender", "pin-certificate", "EGOV", renewed)

    assert pinned.exit_code == 0, pinned.output
    assert first.subject in pinned.output and first.sha256 in pinned.output
    assert replaced.exit_code == 0, replaced.output
    with app.app_context():
        egov = _sender("EGOV")
        assert (egov.client_cert_sha256, egov.client_cert_subject) == (renewed.sha256,
                                                                       renewed.subject)
        entries = _entries(AuditKind.CLIENT_CERTIFICATE_PINNED)
        assert [(e.target, e.actor_id, e.details["fingerprint"], e.details["replaced"])
                for e in entries] == [("sender EGOV", None, first.sha256, None),
                                      ("sender EGOV", None, renewed.sha256, first.sha256)]

    unpinned = qujat("sender", "unpin-certificate", "EGOV")

    assert unpinned.exit_code == 0, unpinned.output
    with app.app_context():
        assert _sender("EGOV").client_cert_sha256 is None
        [entry] = _entries(AuditKind.CLIENT_CERTIFICATE_UNPINNED)
        assert entry.details["fingerprint"] == renewed.sha256
    again = qujat("sender", "unpin-certificate", "EGOV")
    assert again.exit_code != 0 and "(no_client_certificate_pinned)" in again.output


def test_what_cannot_be_pinned_is_refused_with_the_reason(app, qujat, portals_ca, tmp_path):
    egov = portals_ca.issue("egov.kz")
    chain = TlsCertificate(pem=egov.pem + portals_ca.own.pem, subject="", sha256="")
    not_pem = tmp_path / "egov.der"
    not_pem.write_bytes(b"\x30\x82\x01\x00 not a PEM file")
    assert qujat("sender", "pin-certificate", "ELICENSE", egov).exit_code == 0

    refusals = {
        "its chain": qujat("sender", "pin-certificate", "EGOV", chain),
        "no PEM": qujat("sender", "pin-certificate", "EGOV", str(not_pem)),
        "the CA's": qujat("sender", "pin-certificate", "EGOV", portals_ca.own),
        "expired": qujat("sender", "pin-certificate", "EGOV",
                         portals_ca.issue("egov.kz", days=30, ago=60)),
        "another portal's": qujat("sender", "pin-certificate", "EGOV", egov),
        "unknown portal": qujat("sender", "pin-certificate", "NOPE", egov),
    }

    said = {why: (result.exit_code, result.output) for why, result in refusals.items()}
    assert all(code != 0 for code, _ in said.values()), said
    assert "holds 2 certificates" in said["its chain"][1]
    assert "no PEM certificate" in said["no PEM"][1]
    assert "(client_certificate_is_ca)" in said["the CA's"][1]
    assert "(client_certificate_expired)" in said["expired"][1]
    assert "(client_certificate_taken)" in said["another portal's"][1]
    assert "ELICENSE" in said["another portal's"][1]
    assert "No sending system with the code 'NOPE'" in said["unknown portal"][1]
    with app.app_context():
        assert _sender("EGOV").client_cert_sha256 is None
        assert len(_entries(AuditKind.CLIENT_CERTIFICATE_PINNED)) == 1


@pytest.mark.parametrize(("language", "words"), [
    ("ru", ("Порталы-отправители", "Закреплённый клиентский сертификат", "скоро истекает",
            "не закреплён: проверяется только токен")),
    ("kk", ("Жіберуші порталдар", "Бекітілген клиенттік сертификат",
            "мерзімі жақында бітеді", "бекітілмеген: тек токен тексеріледі")),
    ("en", ("Sending portals", "Pinned client certificate", "expires soon",
            "none pinned: the token alone is checked")),
])
def test_the_senders_page_shows_each_portals_pinned_certificate(app, login, qujat,
                                                                portals_ca, language, words):
    egov = portals_ca.issue("egov.kz", days=20)  # renewal due within the month
    assert qujat("sender", "pin-certificate", "EGOV", egov).exit_code == 0
    admin = login("admin")

    page = admin.get("/admin/senders", headers={"Accept-Language": language})

    assert page.status_code == 200
    row = page.text.split('id="sender-EGOV"')[1].split("</tr>")[0]
    assert egov.subject in row
    assert short_fingerprint(egov.sha256) in row and egov.sha256 in row  # the full one: title
    with app.app_context():
        assert _sender("EGOV").client_cert_not_after.strftime("%d.%m.%Y") in row
    for word in words:
        assert word in page.text, word
    # the audit log's entry names the portal and links to its row here
    audit = admin.get("/admin/audit", headers={"Accept-Language": language}).text
    assert "/admin/senders#sender-EGOV" in audit


def test_only_the_administrator_sees_the_senders(login):
    assert login("clerk").get("/admin/senders").status_code == 403
