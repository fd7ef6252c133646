"""Marks that say what happened (seed 004): the "executed" mark carries the decision and
the number of what was issued; the "letter" mark (dark green) comes when the portal has
the letter — a 2xx to its push, or a pull past the mark that carried it — not at signing."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import lxml.html
import pytest
from lxml import etree
from sqlalchemy import event, select

from app.documents.models import Sender
from app.extensions import db
from app.formats.choices import ExecutionDecision, MarkKind, Outcome
from app.formats.decisions import decision_for
from app.formats.marks import read_status_mark
from app.marks.delivery import deliver_due_marks
from app.marks.models import Mark
from app.timeutil import utcnow
from app.xmlsig.trust_store import load_policy
from qujat_demo.portal.marks import verify_mark
from tests.conftest import SENDER_TOKENS
from tests.execution import road
from tests.factories import Org, make_document


@pytest.mark.parametrize(("outcome", "decision"), [
    (Outcome.LICENCE_ISSUED, ExecutionDecision.ISSUED),
    (Outcome.LICENCE_REFUSED, ExecutionDecision.REFUSED),
    (Outcome.EXPLAINED, ExecutionDecision.ANSWERED),
    (Outcome.SATISFIED, ExecutionDecision.ANSWERED),
    (Outcome.NOTIFICATION_ACCEPTED, ExecutionDecision.NOTIFICATION_ACCEPTED),
    (Outcome.CONCLUSION_POSITIVE, ExecutionDecision.CONCLUSION_POSITIVE),
    (Outcome.CONCLUSION_NEGATIVE, ExecutionDecision.CONCLUSION_NEGATIVE),
    # what the register of permits receives is a decision to issue, with its number
    (Outcome.APPENDIX_ISSUED, ExecutionDecision.ISSUED),
    (Outcome.LICENCE_REISSUED, ExecutionDecision.ISSUED),
    (Outcome.DATA_RESTORED, ExecutionDecision.ISSUED),
    (Outcome.PERMIT_ISSUED, ExecutionDecision.ISSUED),
])
def test_each_outcome_has_its_decision(outcome, decision):
    assert decision_for(outcome) is decision


def answered(org, pki, *, kind="appeal_individual", outcome="explained", n=1):
    """A document walked to its signed letter; returns (document, letter)."""
    document = road.registered(make_document(n=n, kind=kind), org)
    if kind == "licence_new":  # Org routes licences to the education department
        road.assigned(document, org, head=org.other_head, executor=org.outsider)
    else:
        road.assigned(document, org)
    road.approved(road.submitted(road.drafted(document, org, outcome=outcome), org), org)
    return document, road.signed(document, org, pki)


def mark_of(document, kind: MarkKind) -> Mark:
    return next(m for m in document.marks if m.kind is kind)


def policy(pki):
    return load_policy(anchors=[pki.state_root], intermediates=[pki.state_ca],
                       crls=[pki.state_crl, pki.state_root_crl])


def test_the_executed_mark_says_the_licence_was_issued_and_its_number(db_session, pki,
                                                                       tmp_path):
    org = Org()
    document, letter = answered(org, pki, kind="licence_new", outcome="licence_issued")

    executed = mark_of(document, MarkKind.EXECUTED)
    checked = verify_mark(executed.xml, policy=policy(pki), at=utcnow())

    assert checked.indication == "PASSED", checked.summary
    assert checked.mark.decision is ExecutionDecision.ISSUED
    assert checked.mark.issued_number == letter.licence_number is not None
    assert executed.letter is letter
    # signed: the decision cannot be changed on the way
    forged = executed.xml.replace(b">issued<", b">refused<")
    assert verify_mark(forged, policy=policy(pki), at=utcnow()).indication == "FAILED"
    if shutil.which("xmlsec1"):
        path = tmp_path / "executed.xml"
        path.write_bytes(executed.xml)
        result = subprocess.run(
            ["xmlsec1", "--verify", "--trusted-pem", str(pki.state_root),
             "--untrusted-pem", str(pki.state_ca), str(path)],
            capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_an_answered_appeal_says_answer_given_and_no_number(db_session, pki):
    document, _ = answered(Org(), pki)

    mark = read_status_mark(etree.fromstring(mark_of(document, MarkKind.EXECUTED).xml))

    assert (mark.decision, mark.issued_number) == (ExecutionDecision.ANSWERED, None)


def test_signing_sends_no_letter_mark_yet(db_session, pki):
    document, _ = answered(Org(), pki)

    assert [m.kind for m in document.marks][-1] is MarkKind.EXECUTED
    assert MarkKind.LETTER not in [m.kind for m in document.marks]


class Portal:
    """A callback that answers ``status`` to marks and ``letter_status`` to letters, and
    notes what it was sent."""

    def __init__(self, status: int = 200, letter_status: int = 200):
        self.status, self.letter_status = status, letter_status
        self.headers: list[dict] = []

    def __call__(self, url, body, headers=None):
        self.headers.append(dict(headers or {}))
        return self.letter_status if "X-Qujat-Letter-Id" in (headers or {}) else self.status


def test_the_letter_mark_follows_the_portals_2xx_to_the_letter(app, pki):
    with app.app_context():
        sender = db.session.scalar(select(Sender).where(Sender.code == "EGOV"))
        sender.callback_url = "http://portal.invalid/marks"
        document, letter = answered(Org(), pki)
        db.session.commit()
        document_id = document.id
        portal = Portal()

        while deliver_due_marks(post=portal):
            pass

        kinds = [m.kind for m in db.session.scalars(
            select(Mark).where(Mark.document_id == document_id).order_by(Mark.id))]
        assert kinds[-2:] == [MarkKind.EXECUTED, MarkKind.LETTER]
        carried = [h for h in portal.headers if "X-Qujat-Letter-Id" in h]
        assert carried == [{"X-Qujat-Letter-Id": f"L{letter.id}"}]  # pushed once
        # the letter went before the executed mark, the letter mark came last
        names = [h.get("X-Qujat-Letter-Id") or h["X-Qujat-Mark-Id"] for h in portal.headers]
        executed = mark_of(document, MarkKind.EXECUTED)
        letter_mark = db.session.scalar(select(Mark).where(
            Mark.document_id == document_id, Mark.kind == MarkKind.LETTER))
        assert names[-3:] == [f"L{letter.id}", f"M{executed.id}", f"M{letter_mark.id}"]
        db.session.refresh(executed)
        assert executed.letter_received_at == letter_mark.created_at
        assert letter_mark.letter_id is None  # it announces the letter, it does not carry it
        mark = read_status_mark(etree.fromstring(letter_mark.xml))
        assert mark.letter.number == letter.outgoing_number


def test_a_refused_letter_push_sends_no_letter_mark(app, pki):
    with app.app_context():
        sender = db.session.scalar(select(Sender).where(Sender.code == "EGOV"))
        sender.callback_url = "http://portal.invalid/marks"
        document, _ = answered(Org(), pki)
        db.session.commit()

        portal = Portal(letter_status=503)
        while deliver_due_marks(post=portal):
            pass

        assert any("X-Qujat-Letter-Id" in h for h in portal.headers)
        marks = list(db.session.scalars(select(Mark).where(Mark.document_id == document.id)))
        assert MarkKind.LETTER not in [m.kind for m in marks]
        executed = mark_of(document, MarkKind.EXECUTED)
        db.session.refresh(executed)
        assert executed.delivered_at is None and executed.letter_received_at is None


def test_the_letter_mark_follows_a_pull_past_the_executed_mark(app, pki, client):
    with app.app_context():
        document, letter = answered(Org(), pki)
        db.session.commit()
        document_id = document.id
    headers = {"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}

    first = client.get("/api/v1/marks", headers=headers).json
    again = client.get("/api/v1/marks", headers=headers).json  # same cursor: not yet
    after = client.get(f"/api/v1/marks?since={first['next_since']}", headers=headers).json
    twice = client.get(f"/api/v1/marks?since={first['next_since']}", headers=headers).json

    assert first["marks"][-1]["kind"] == "executed" and first["marks"][-1]["letter_xml"]
    assert [m["kind"] for m in again["marks"]] == [m["kind"] for m in first["marks"]]
    assert [(m["kind"], m["document_id"], m["letter_xml"]) for m in after["marks"]] == [
        ("letter", document_id, None)]
    assert twice["marks"] == after["marks"]  # recorded once


def test_the_clerk_sees_the_letters_still_undelivered(app, pki, client, login):
    with app.app_context():
        document, letter = answered(Org(), pki)
        db.session.commit()
        document_id, number = document.id, letter.outgoing_number
    clerk = login("clerk")
    assert f'href="/documents/{document_id}"' in clerk.get("/letters/undelivered").text
    assert number in clerk.get("/letters/undelivered").text

    headers = {"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}
    since = client.get("/api/v1/marks", headers=headers).json["next_since"]
    client.get(f"/api/v1/marks?since={since}", headers=headers)

    assert number not in clerk.get("/letters/undelivered").text


def test_an_executor_has_no_undelivered_letters_page(login):
    assert login("executor").get("/letters/undelivered").status_code == 403


def test_the_documents_path_says_whether_the_portal_has_the_letter(app, pki, client, login):
    with app.app_context():
        document, _ = answered(Org(), pki)
        db.session.commit()
        document_id = document.id
    clerk = login("admin")  # the desk speaks Russian
    before = clerk.get(f"/documents/{document_id}").text
    headers = {"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}
    since = client.get("/api/v1/marks", headers=headers).json["next_since"]
    client.get(f"/api/v1/marks?since={since}", headers=headers)

    after = clerk.get(f"/documents/{document_id}").text

    assert "письмо ещё не дошло до портала" in before
    assert "портал получил письмо" in after and "Письмо" in after.split("портал получил")[1]


# --- the undelivered letters a page at a time (paged as the desks are: app/web/desklist.py)

#: more than two pages; every third mark shares its moment with the one before (the id
#: breaks the tie)
HOW_MANY = 123


def _undelivered(app, pki) -> list[str]:
    """HOW_MANY undelivered letters (copies of one signed letter's mark), each told apart
    by its last push status; their statuses oldest first."""
    with app.app_context():
        document, _letter = answered(Org(), pki)
        mark = db.session.scalar(select(Mark).where(Mark.document_id == document.id,
                                                    Mark.kind == MarkKind.EXECUTED))
        mark.last_status = "push 000"
        start = mark.created_at
        for i in range(1, HOW_MANY):
            db.session.add(Mark(
                document_id=mark.document_id, sender_id=mark.sender_id, kind=mark.kind,
                letter_id=mark.letter_id, xml=mark.xml, last_status=f"push {i:03}",
                created_at=start + timedelta(seconds=i - i % 3)))
        db.session.commit()
    return [f"push {i:03}" for i in range(HOW_MANY)]


def _statuses(html: lxml.html.HtmlElement) -> list[str]:
    return [s.strip() for s in html.xpath("//table[contains(@class, 'undelivered')]"
                                          "//tbody//small[@class='muted']/text()")]


def test_the_undelivered_letters_come_fifty_at_a_time(app, pki, login):
    expected = _undelivered(app, pki)
    clerk = login("clerk")
    seen: list[str] = []
    url = "/letters/undelivered"
    pages = []
    while url:
        answer = clerk.get(url)
        assert answer.status_code == 200
        html = lxml.html.fromstring(answer.text)
        rows = _statuses(html)
        pages.append(len(rows))
        seen += rows
        shown = " ".join(html.xpath("//nav[contains(@class, 'pager')]//text()")).split()
        assert f"{len(seen) - len(rows) + 1}–{len(seen)}" in shown
        assert f"{HOW_MANY}" in shown
        following = html.xpath("//a[@rel='next']/@href")
        url = following[0] if following else None
    assert pages == [50, 50, 23]
    assert seen == expected  # oldest first, none twice, none left out


def test_a_cursor_that_is_not_one_starts_over(app, pki, login):
    _undelivered(app, pki)
    answer = login("clerk").get("/letters/undelivered?after=x|y&start=9999999999999")
    assert answer.status_code == 200
    assert len(_statuses(lxml.html.fromstring(answer.text))) == 50



def test_the_undelivered_letters_are_read_on_their_index(app, pki, login):
    """Each statement of a page deep in the list (the page's rows, and its count) seeks in
    ix_marks_undelivered_letters, in its order: no scan of every mark, no sort. A hundred
    marks are few enough for PostgreSQL to rightly prefer reading the table, so it is told
    not to: what is asked is whether the index serves the page, as at a million marks."""
    _undelivered(app, pki)
    clerk = login("clerk")
    following = lxml.html.fromstring(clerk.get("/letters/undelivered").text)
    statements: list[tuple[str, object]] = []

    def seen(connection, cursor, statement, parameters, context, executemany):
        if "FROM marks" in statement:
            statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert clerk.get(following.xpath("//a[@rel='next']/@href")[0]).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    assert len(statements) == 2  # the rows after the cursor, and their count
    with app.app_context():
        connection = db.session.connection()
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for statement, parameters in statements:
            # the index's condition in its own words, the kind a literal: PostgreSQL's
            # generic plan of a statement prepared again and again knows no parameter's
            # value, and would not see the index applies
            assert "marks.kind = 'executed' AND marks.letter_id IS NOT NULL AND " \
                   "marks.letter_received_at IS NULL" in statement
            plan = "\n".join(str(row[-1]) for row in connection.exec_driver_sql(
                ("EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN ") + statement,
                parameters))
            assert "ix_marks_undelivered_letters on marks" in plan if postgresql else \
                "marks USING INDEX ix_marks_undelivered_letters" in plan, plan
            assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


def test_a_portal_missing_the_marks_intermediate_ca_is_told_which_check_failed(db_session,
                                                                               pki):
    """An operator who forgot ``--intermediate`` sees why every mark is not trusted, not a
    bare FAILED."""
    document, _ = answered(Org(), pki)
    executed = mark_of(document, MarkKind.EXECUTED)
    without_ca = load_policy(anchors=[pki.state_root], crls=[pki.state_root_crl])

    checked = verify_mark(executed.xml, policy=without_ca, at=utcnow())

    assert checked.indication != "PASSED"
    assert "certificate_chain:" in checked.summary, checked.summary
    assert verify_mark(executed.xml, policy=policy(pki), at=utcnow()).summary.startswith(
        "signed by")
