"""A status mark whose delivery was given up holds back its document's later marks for
good, unless an administrator pushes it again from /admin/marks: then it and the marks
behind it go out in their order, and the retry is chained into the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry, AuditKind
from app.documents.models import Document, Sender
from app.errors import PermissionDenied, Refused
from app.extensions import db
from app.formats.choices import MarkKind
from app.marks.delivery import MAX_ATTEMPTS, deliver_due_marks
from app.marks.models import Mark
from app.registration import service
from app.timeutil import utcnow
from app.workflow.outbox import retry_mark
from tests.conftest import csrf_token
from tests.factories import user


class Recorder:
    """A portal's callback that answers ``status`` and writes down the marks it got."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[int] = []

    def __call__(self, url, body, headers=None):
        self.received.append(int(headers["X-Qujat-Mark-Id"][1:]))
        return self.status


def _with_callback(app, url: str | None = "http://portal.invalid/marks") -> None:
    with app.app_context():
        db.session.scalar(select(Sender).where(Sender.code == "EGOV")).callback_url = url
        db.session.commit()


def _register(app, document_id: int) -> None:
    with app.app_context():
        service.register(db.session.get(Document, document_id), clerk=user("clerk"),
                         now=utcnow(), zone="Asia/Almaty")
        db.session.commit()


def _marks(app) -> dict[int, tuple[int, MarkKind]]:
    with app.app_context():
        return {m.id: (m.document_id, m.kind) for m in db.session.scalars(select(Mark))}


def _give_up(app, portal) -> int:
    """A document whose "delivered" mark was given up, and its "registered" mark made after:
    returns the document's id."""
    _with_callback(app)
    document_id = portal.send("appeal").json["id"]
    with app.app_context():
        moment = utcnow()
        for _ in range(MAX_ATTEMPTS):
            deliver_due_marks(now=moment, post=Recorder(503))
            moment += timedelta(hours=2)
    _register(app, document_id)
    return document_id


def _given_up_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Mark.id).where(Mark.given_up_at.is_not(None)))


def test_the_administrator_sees_the_given_up_mark_and_pushes_it_again(app, portal, login):
    document_id = _give_up(app, portal)
    mark_id = _given_up_id(app)
    admin = login("admin")

    page = admin.get("/admin/marks", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert f"M{mark_id}" in page.text and "HTTP 503" in page.text
    assert f"/admin/marks/{mark_id}/retry" in page.text
    jobs = admin.get("/admin/jobs", headers={"Accept-Language": "en"})
    assert "1 status mark is given up" in jobs.text

    # a form without its CSRF token changes nothing
    assert admin.post(f"/admin/marks/{mark_id}/retry").status_code in (302, 400)
    assert _given_up_id(app) == mark_id

    done = admin.post(f"/admin/marks/{mark_id}/retry", follow_redirects=True,
                      data={"csrf_token": csrf_token(page.text)},
                      headers={"Accept-Language": "ru"})
    assert done.status_code == 200
    assert f"Отметка M{mark_id} будет отправлена снова" in done.text
    assert _given_up_id(app) is None

    # the worker's next run pushes it, then the "registered" mark that waited behind it
    portal_up = Recorder()
    with app.app_context():
        while deliver_due_marks(now=utcnow() + timedelta(seconds=1), post=portal_up):
            pass
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.kind == AuditKind.MARK_RETRIED))
        assert entry.document_id == document_id and entry.target == f"M{mark_id}"
        assert entry.actor_id == user("admin").id and entry.details["attempts"] == MAX_ATTEMPTS
    marks = _marks(app)
    assert [marks[m] for m in portal_up.received] == [
        (document_id, MarkKind.DELIVERED), (document_id, MarkKind.REGISTERED)]


def test_only_an_administrator_may_push_a_mark_again(app, portal, login):
    _give_up(app, portal)
    mark_id = _given_up_id(app)
    clerk = login("clerk")
    assert clerk.get("/admin/marks").status_code == 403
    token = csrf_token(clerk.get("/", follow_redirects=True).text)
    assert clerk.post(f"/admin/marks/{mark_id}/retry",
                      data={"csrf_token": token}).status_code == 403
    with app.app_context(), pytest.raises(PermissionDenied) as refused:
        retry_mark(db.session.get(Mark, mark_id), by=user("clerk"), now=utcnow())
    assert refused.value.code == "admin_only"
    assert _given_up_id(app) == mark_id


def test_a_mark_not_given_up_or_without_a_callback_is_refused_in_words(app, portal, login):
    _give_up(app, portal)
    mark_id = _given_up_id(app)
    with app.app_context():
        waiting = db.session.scalar(select(Mark).where(Mark.id != mark_id))
        with pytest.raises(Refused) as refused:
            retry_mark(waiting, by=user("admin"), now=utcnow())
        assert refused.value.code == "mark_not_given_up"
    _with_callback(app, None)
    admin = login("admin")
    page = admin.get("/admin/marks", headers={"Accept-Language": "en"})
    assert "no callback URL" in page.text and f"/admin/marks/{mark_id}/retry" not in page.text
    answer = admin.post(f"/admin/marks/{mark_id}/retry", follow_redirects=True,
                        data={"csrf_token": csrf_token(page.text)},
                        headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    assert f"The portal of status mark M{mark_id} has no callback URL" in answer.text
    assert _given_up_id(app) == mark_id
    assert admin.post("/admin/marks/2147483647/retry",
                      data={"csrf_token": csrf_token(page.text)}).status_code == 404
