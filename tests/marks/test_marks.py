"""Status marks: signed with the system key, verifiable by anyone, delivered with back-off."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from app.documents.models import Document, Sender
from app.extensions import db
from app.formats.choices import RefusalReason
from app.marks.delivery import MAX_ATTEMPTS, backoff, deliver_due_marks
from app.marks.models import Mark
from app.registration import service
from app.timeutil import utcnow
from tests.factories import user

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"

XMLSEC1 = shutil.which("xmlsec1")


def _all_marks(app) -> list[bytes]:
    with app.app_context():
        return [m.xml for m in db.session.scalars(select(Mark).order_by(Mark.id))]


@pytest.fixture
def registered_and_refused(app, portal):
    """One document of each outcome, so every kind of mark of this stage exists."""
    first = portal.send("appeal").json["id"]
    second = portal.send("appeal").json["id"]
    with app.app_context():
        service.register(db.session.get(Document, first), clerk=user("clerk"), now=utcnow(),
                         zone=ZONE)
        service.refuse(db.session.get(Document, second), clerk=user("clerk"), now=utcnow(),
                       reason=RefusalReason.DUPLICATE, text="Повторное обращение")
        db.session.commit()
    return _all_marks(app)


def test_every_mark_verifies_with_debians_xmlsec1(registered_and_refused, pki, tmp_path):
    assert XMLSEC1, "xmlsec1 is missing: scripts/setup installs it from Debian"
    assert len(registered_and_refused) == 4
    for n, xml in enumerate(registered_and_refused):
        path = tmp_path / f"mark-{n}.xml"
        path.write_bytes(xml)
        result = subprocess.run(
            [XMLSEC1, "--verify", "--trusted-pem", str(pki.state_root),
             "--untrusted-pem", str(pki.state_ca), str(path)],
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stderr


def test_every_mark_verifies_with_our_verifier(registered_and_refused, pki):
    from app.xmlsig.trust_store import load_policy
    from qujat_demo.portal.marks import verify_mark

    policy = load_policy(anchors=[pki.state_root], intermediates=[pki.state_ca],
                         crls=[pki.state_crl, pki.state_root_crl], revocation_required=True)
    kinds = []
    for xml in registered_and_refused:
        checked = verify_mark(xml, policy=policy, at=utcnow())
        assert checked.indication == "PASSED", checked.summary
        kinds.append(checked.mark.kind.value)
    assert kinds == ["delivered", "delivered", "registered", "refused"]


def test_a_tampered_mark_fails_our_verifier(registered_and_refused, pki):
    from app.xmlsig.trust_store import load_policy
    from qujat_demo.portal.marks import verify_mark

    policy = load_policy(anchors=[pki.state_root], intermediates=[pki.state_ca])
    forged = registered_and_refused[3].replace(b"duplicate", b"anonymous")

    assert verify_mark(forged, policy=policy, at=utcnow()).indication == "FAILED"


def _with_callback(app, url: str = "http://portal.invalid/marks") -> None:
    with app.app_context():
        db.session.scalar(select(Sender).where(Sender.code == "EGOV")).callback_url = url
        db.session.commit()


def test_marks_are_pushed_to_the_callback_and_retried_with_backoff(app, portal):
    _with_callback(app)
    portal.send("appeal")
    calls: list[tuple[str, bytes]] = []

    def failing(url, body, headers):
        calls.append((url, body))
        raise requests.ConnectionError("portal down")

    with app.app_context():
        now = utcnow()
        assert deliver_due_marks(now=now, post=failing) == 0
        mark = db.session.scalar(select(Mark))
        assert (mark.attempts, mark.last_status) == (1, "network")
        assert mark.next_attempt_at == now + backoff(1)
        # not due yet: nothing is sent
        assert deliver_due_marks(now=now + timedelta(seconds=1), post=failing) == 0
        assert len(calls) == 1
        later = now + backoff(1)
        assert deliver_due_marks(now=later, post=lambda url, body, headers: 200) == 1
        mark = db.session.scalar(select(Mark))
        assert mark.delivered_at == later and mark.next_attempt_at is None
    assert calls[0][0] == "http://portal.invalid/marks" and b"StatusMark" in calls[0][1]


def test_pushing_gives_up_after_many_attempts_but_the_mark_stays_pullable(app, portal):
    _with_callback(app)
    portal.send("appeal")
    with app.app_context():
        moment = utcnow()
        for _ in range(MAX_ATTEMPTS):
            deliver_due_marks(now=moment, post=lambda url, body, headers: 503)
            moment += timedelta(hours=2)
        mark = db.session.scalar(select(Mark))
        assert mark.attempts == MAX_ATTEMPTS and mark.next_attempt_at is None
        assert mark.last_error == "HTTP 503"
    pulled = portal.client.get("/api/v1/marks", headers={
        "Authorization": "Bearer egov-test-token"}).json
    assert len(pulled["marks"]) == 1


def test_backoff_doubles_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert backoff(30) == timedelta(hours=1)
