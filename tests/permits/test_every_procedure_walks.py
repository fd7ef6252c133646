"""Every procedure of the seeds, and an appeal, walked from intake to the answer the portal
holds: the deadline rule the procedure names is the one the document got, the marks the
portal received are the procedure's list, the letter and what was issued verify with
xmlsec1, and a licence number is taken by a new licence only."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.deadlines.rules import shipped_rules
from app.documents.models import Document, Sender
from app.extensions import db
from app.formats.choices import Outcome
from app.formats.letters import read_response_letter
from app.inspections.service import inspection_queue, schedule
from app.journals.models import Journal, JournalCounter
from app.marks.models import Mark
from app.marks.receipt import letters_pulled
from app.permits.models import PermitEntry
from app.procedures import procedure_for
from app.timeutil import utcnow
from app.trust import official_policy
from app.xmlsig.verifier import verify_bytes
from tests.factories import Org
from tests.permits.steps import answered, received

XMLSEC1 = shutil.which("xmlsec1")

#: (sample kind, portal, the outcome the executor chooses, grounds)
WALKS = [
    ("appeal", "EGOV", Outcome.EXPLAINED, ""),
    ("licence-new", "ELICENSE", Outcome.LICENCE_ISSUED, ""),
    ("licence-appendix", "ELICENSE", Outcome.APPENDIX_ISSUED, ""),
    ("licence-reissue", "ELICENSE", Outcome.LICENCE_REISSUED, ""),
    ("licence-restore", "ELICENSE", Outcome.DATA_RESTORED, ""),
    ("numbering-permit", "ELICENSE", Outcome.PERMIT_ISSUED, ""),
    ("sanitary-notification", "INFOKAZAKHSTAN", Outcome.NOTIFICATION_ACCEPTED, ""),
    ("inspection-request", "INFOKAZAKHSTAN", Outcome.CONCLUSION_POSITIVE, ""),
    ("inspection-request", "INFOKAZAKHSTAN", Outcome.CONCLUSION_NEGATIVE,
     "Нет приточно-вытяжной вентиляции"),
]


@pytest.fixture
def org(db_session):
    return Org()


def licence_numbers_taken() -> int:
    journal = db.session.scalar(select(Journal).where(Journal.code == "issued-licences"))
    return sum(c.value for c in db.session.scalars(
        select(JournalCounter).where(JournalCounter.journal_id == journal.id)))


def xmlsec1_verifies(xml: bytes, pki, path) -> None:
    assert XMLSEC1, "xmlsec1 is missing: scripts/setup installs it from Debian"
    path.write_bytes(xml)
    checked = subprocess.run([XMLSEC1, "--verify", "--trusted-pem", str(pki.state_root),
                              "--untrusted-pem", str(pki.state_ca), str(path)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def naming_an_issued_licence(kind: str, org, pki, portal) -> dict:
    """What an appendix or a re-issue application says of the licence it names: one the
    register holds (issued first, on its own application)."""
    from app.formats.choices import ReissueReason
    from app.formats.model import CodedName, LicenceAppendix, LicenceRef, LicenceReissue

    if kind not in ("licence-appendix", "licence-reissue"):
        return {}
    first = received(portal, "licence-new", sender="ELICENSE")
    answered(first, org, pki, Outcome.LICENCE_ISSUED)
    licence = db.session.scalar(select(PermitEntry).where(
        PermitEntry.source_document_id == first.id))
    named = LicenceRef(number=licence.number, issue_date=licence.issued_on)
    activity = CodedName(code=licence.activity_code, name=licence.activity_name)
    if kind == "licence-appendix":
        return {"details": LicenceAppendix(licence=named, activity=activity)}
    return {"details": LicenceReissue(licence=named, activity=activity,
                                      reason=ReissueReason.ADDRESS_CHANGE,
                                      reason_text="Смена адреса")}


def inspected(doc: Document, org) -> None:
    """An inspection request waits in the queue until its object is visited."""
    from tests.execution import road

    road.registered(doc, org)
    queued = [e for e in inspection_queue() if e.document.id == doc.id]
    assert queued, "a registered inspection request waits in the inspection queue"
    day = max(utcnow().date(), queued[0].ready_on or utcnow().date())
    schedule(doc, by=org.clerk, inspector=org.executor, on=day + timedelta(days=1),
             now=utcnow(), today=utcnow().date())


@pytest.mark.parametrize(("kind", "sender", "outcome", "grounds"), WALKS,
                         ids=[f"{w[0]}-{w[2].value}" for w in WALKS])
def test_a_document_walks_from_intake_to_the_answer_the_portal_holds(
        db_session, org, pki, portal, tmp_path, kind, sender, outcome, grounds):
    overrides = naming_an_issued_licence(kind, org, pki, portal)
    before = licence_numbers_taken()
    doc = received(portal, kind, sender=sender, **overrides)
    procedure = procedure_for(doc.kind, doc.content)
    if kind == "inspection-request":
        inspected(doc, org)

    letter = answered(doc, org, pki, outcome, grounds=grounds)

    # the deadline rule the procedure names is the one the document was given
    rule = next(r for r in shipped_rules().rules if r.code == doc.deadline_rule_code)
    assert rule.kind == procedure.deadline_rule
    # the letter, and what was issued with it, verify by us and by xmlsec1
    result = verify_bytes(letter.xml, policy=official_policy(), at=letter.signed_at)
    assert result.report.indication.value == "PASSED"
    xmlsec1_verifies(letter.xml, pki, tmp_path / "letter.xml")
    read = read_response_letter(result.signed_root)
    assert read.outcome is outcome
    issued = [a for a in read.attachments if a.media_type == "application/xml"]
    if procedure.result_of(outcome).value == "nothing":
        assert issued == [] and letter.issued_number is None
    else:
        assert letter.issued_number
        xmlsec1_verifies(issued[0].content, pki, tmp_path / "issued.xml")
        entry = db.session.scalar(select(PermitEntry).where(
            PermitEntry.source_document_id == doc.id))
        assert entry is not None and entry.letter_id == letter.id
    if grounds:
        assert read.refusal_grounds == (grounds,)
    # a licence number is taken for a new licence, and for nothing else
    taken = 1 if outcome is Outcome.LICENCE_ISSUED else 0
    assert licence_numbers_taken() == before + taken

    # the portal pulls the executed mark, and with it the letter: the marks it got are the
    # procedure's, in order
    portal_row = db.session.scalar(select(Sender).where(Sender.code == sender))
    last = db.session.scalar(select(func.max(Mark.id)).where(Mark.document_id == doc.id))
    letters_pulled(portal_row, up_to=last, now=utcnow())
    got = [m.kind for m in db.session.scalars(
        select(Mark).where(Mark.document_id == doc.id).order_by(Mark.id))]
    assert got == list(procedure.marks)
