"""Each procedure of the seeds, walked from intake to the signed answer: what it leaves
in the register of permits, the issued document signed with the letter (checked by our
verifier and by xmlsec1), the letter's words, and the licence numbers never taken."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from lxml import etree
from sqlalchemy import select

from app.documents.models import Document
from app.errors import Refused
from app.execution import service as execution
from app.extensions import db
from app.formats.choices import ExecutionDecision, MarkKind, Outcome, ReissueReason
from app.formats.letters import read_response_letter
from app.formats.marks import read_status_mark
from app.formats.model import CodedName, LicenceAppendix, LicenceRef, LicenceReissue
from app.formats.permits import IssuedKind, read_permit
from app.journals.models import Journal, JournalCounter
from app.permits.models import PermitEntry
from app.permits.pdf import render_permit
from app.timeutil import utcnow
from app.trust import official_policy
from app.xmlsig.verifier import verify_bytes
from tests.execution import road
from tests.factories import Org
from tests.permits.steps import answered, received

XMLSEC1 = shutil.which("xmlsec1")
ACTIVITY = CodedName(code="EDU-01", name="Образовательная деятельность")


@pytest.fixture
def org(db_session):
    return Org()


def licence_numbers_taken() -> int:
    journal = db.session.scalar(select(Journal).where(Journal.code == "issued-licences"))
    return sum(c.value for c in db.session.scalars(
        select(JournalCounter).where(JournalCounter.journal_id == journal.id)))


def read_letter(letter):
    result = verify_bytes(letter.xml, policy=official_policy(), at=letter.signed_at)
    assert result.report.indication.value == "PASSED"
    return read_response_letter(result.signed_root)


def issued_document(letter, pki, tmp_path):
    """The signed issued document among the letter's attachments, verified by us and by
    xmlsec1, and its printable copy."""
    read = read_letter(letter)
    xml = next(a for a in read.attachments if a.media_type == "application/xml").content
    pdf = next(a for a in read.attachments if a.media_type == "application/pdf").content
    assert pdf.startswith(b"%PDF")
    result = verify_bytes(xml, policy=official_policy(), at=letter.signed_at)
    assert result.report.indication.value == "PASSED"
    assert result.report.signer.iin == "830417401559"  # the official who signed the letter
    assert XMLSEC1, "xmlsec1 is missing: scripts/setup installs it from Debian"
    path = tmp_path / "issued.xml"
    path.write_bytes(xml)
    checked = subprocess.run([XMLSEC1, "--verify", "--trusted-pem", str(pki.state_root),
                              "--untrusted-pem", str(pki.state_ca), str(path)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    return read, read_permit(result.signed_root)


def executed_says(doc) -> tuple:
    """The decision and the number the document's last mark, "executed", tells the portal."""
    mark = doc.marks[-1]
    assert mark.kind is MarkKind.EXECUTED
    said = read_status_mark(etree.fromstring(mark.xml))
    return said.decision, said.issued_number


def test_a_new_licence_is_entered_numbered_signed_and_sent(db_session, org, pki, portal,
                                                           tmp_path):
    doc = received(portal, "licence-new", sender="ELICENSE")
    letter = answered(doc, org, pki, Outcome.LICENCE_ISSUED)

    read, permit = issued_document(letter, pki, tmp_path)
    entry = db.session.scalar(select(PermitEntry).where(PermitEntry.source_document_id == doc.id))
    assert entry.number.startswith("KZ") and "LIC" in entry.number
    assert permit.kind is IssuedKind.LICENCE and permit.number == entry.number
    assert permit.holder.identifier == (doc.author_bin or doc.author_iin)
    assert entry.activity_name and entry.status == "active" and entry.letter_id == letter.id
    assert read.issued_licence.number == entry.number == letter.licence_number
    assert letter.issued_number == entry.number
    assert read.text.startswith(f"Выдана лицензия № {entry.number} от ")
    assert [v.version for v in entry.versions] == [1]
    # the executed mark says what was decided and the number (the letter mark waits for the
    # portal to have the letter)
    assert executed_says(doc) == (ExecutionDecision.ISSUED, entry.number)


def test_a_notification_is_acknowledged_with_a_talon_never_a_licence(db_session, org, pki,
                                                                     portal, tmp_path):
    before = licence_numbers_taken()
    doc = received(portal, "sanitary-notification", sender="INFOKAZAKHSTAN")
    assert execution.outcomes_of(doc) == (Outcome.NOTIFICATION_ACCEPTED,)
    letter = answered(doc, org, pki, Outcome.NOTIFICATION_ACCEPTED)

    read, permit = issued_document(letter, pki, tmp_path)
    assert read.outcome is Outcome.NOTIFICATION_ACCEPTED and read.issued_licence is None
    assert read.issued.number.startswith("ТАЛОН-")
    assert executed_says(doc) == (ExecutionDecision.NOTIFICATION_ACCEPTED, read.issued.number)
    assert permit.kind is IssuedKind.NOTIFICATION and permit.object_name
    assert read.text.startswith("Уведомление о начале деятельности принято")
    assert f"Талон № {read.issued.number}" in read.text and "Лицензия" not in read.text
    assert b"LicenceIssued" not in letter.xml and letter.licence_number is None
    assert licence_numbers_taken() == before
    entry = db.session.scalar(select(PermitEntry).where(PermitEntry.number == read.issued.number))
    assert entry.kind == "notification" and entry.status == "accepted"


def test_an_inspection_ends_in_a_conclusion_with_its_grounds(db_session, org, pki, portal,
                                                              tmp_path):
    before = licence_numbers_taken()
    doc = received(portal, "inspection-request", sender="INFOKAZAKHSTAN")
    assert set(execution.outcomes_of(doc)) == {Outcome.CONCLUSION_POSITIVE,
                                               Outcome.CONCLUSION_NEGATIVE}
    letter = answered(doc, org, pki, Outcome.CONCLUSION_NEGATIVE,
                      grounds="Нет приточно-вытяжной вентиляции")

    read, permit = issued_document(letter, pki, tmp_path)
    assert read.outcome is Outcome.CONCLUSION_NEGATIVE
    assert read.refusal_grounds == ("Нет приточно-вытяжной вентиляции",)
    assert permit.kind is IssuedKind.CONCLUSION and permit.positive is False
    assert permit.grounds == ("Нет приточно-вытяжной вентиляции",)
    assert read.issued.number.startswith("СЭЗ-") and "Лицензия" not in read.text
    assert f"заключение № {read.issued.number}" in read.text
    assert licence_numbers_taken() == before


def test_restoration_enters_the_proven_licence_without_a_journal_number(db_session, org, pki,
                                                                         portal, tmp_path):
    before = licence_numbers_taken()
    doc = received(portal, "licence-restore", sender="ELICENSE")
    named = doc.content["details"]["licence"]["number"]
    letter = answered(doc, org, pki, Outcome.DATA_RESTORED)

    read, permit = issued_document(letter, pki, tmp_path)
    assert permit.restored and permit.number == named == read.issued.number
    entry = db.session.scalar(select(PermitEntry).where(PermitEntry.number == named))
    assert entry.restored and entry.issued_on == date.fromisoformat(
        doc.content["details"]["licence"]["issue_date"])
    assert licence_numbers_taken() == before
    assert f"Данные о лицензии № {named}" in read.text


def test_a_numbering_permit_allocates_ranges_and_states_its_validity(db_session, org, pki,
                                                                     portal, tmp_path):
    doc = received(portal, "numbering-permit", sender="ELICENSE")
    territories = doc.content["details"]["territories"]
    letter = answered(doc, org, pki, Outcome.PERMIT_ISSUED)

    read, permit = issued_document(letter, pki, tmp_path)
    assert permit.kind is IssuedKind.NUMBERING_PERMIT
    assert [a.count for a in permit.allocations] == [t["count"] for t in territories]
    assert permit.valid_from == letter.outgoing_date and permit.valid_to > permit.valid_from
    assert (f"Срок действия: с {permit.valid_from:%d.%m.%Y} по {permit.valid_to:%d.%m.%Y}"
            in read.text)
    assert read.issued.valid_to == permit.valid_to

    # a second permit in the same territory gets the next numbers, never the same
    again = received(portal, "numbering-permit", sender="ELICENSE",
                     details=_same_territories(doc))
    second = answered(again, org, pki, Outcome.PERMIT_ISSUED)
    _, other = issued_document(second, pki, tmp_path)
    assert other.allocations[0].first == permit.allocations[0].last + 1


def _same_territories(doc: Document):
    from app.formats.model import NumberingPermit, NumberingTerritory

    details = doc.content["details"]
    return NumberingPermit(
        resource=CodedName(**details["resource"]),
        territories=tuple(NumberingTerritory(name=t["name"], count=t["count"],
                                             area_code=t["area_code"])
                          for t in details["territories"]))


def test_overlapping_numbers_are_refused(db_session, org, pki, portal):
    from app.permits.numbering import allocate

    doc = received(portal, "numbering-permit", sender="ELICENSE")
    answered(doc, org, pki, Outcome.PERMIT_ISSUED)
    entry = db.session.scalar(select(PermitEntry).where(PermitEntry.source_document_id == doc.id))
    taken = entry.allocations[0]
    with pytest.raises(Refused) as caught:
        allocate(entry, territory=taken.territory, area_code=taken.area_code,
                 first=taken.last - 5, last=taken.last + 5)
    assert caught.value.code == "numbering_overlap"
    assert entry.number in str(caught.value.message)


def _issued_licence(org, pki, portal) -> PermitEntry:
    doc = received(portal, "licence-new", sender="ELICENSE")
    answered(doc, org, pki, Outcome.LICENCE_ISSUED)
    return db.session.scalar(select(PermitEntry).where(PermitEntry.source_document_id == doc.id))


def test_appendices_are_numbered_within_their_licence(db_session, org, pki, portal, tmp_path):
    licence = _issued_licence(org, pki, portal)
    before = licence_numbers_taken()
    named = LicenceRef(number=licence.number, issue_date=licence.issued_on)
    numbers = []
    for _ in range(2):
        doc = received(portal, "licence-appendix", sender="ELICENSE",
                       details=LicenceAppendix(licence=named, activity=ACTIVITY))
        letter = answered(doc, org, pki, Outcome.APPENDIX_ISSUED)
        read, permit = issued_document(letter, pki, tmp_path)
        assert permit.licence_number == licence.number == read.issued.licence_number
        assert read.text.startswith(f"Выдано приложение № {permit.number} от ")
        assert f"к лицензии № {licence.number}" in read.text
        numbers.append(permit.appendix_number)
    assert numbers == [1, 2]
    assert [a.number for a in licence.appendices] == [f"{licence.number}/1",
                                                       f"{licence.number}/2"]
    assert licence_numbers_taken() == before
    # the licence's printable copy names its appendices, then prints each on its own page
    pdf = render_permit(licence.xml, appendices=tuple(a.xml for a in licence.appendices))
    assert XMLSEC1 and shutil.which("pdftotext"), "scripts/setup installs poppler-utils"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    pages = [" ".join(page.split()) for page in text.split("\f")]
    assert "ГОСУДАРСТВЕННАЯ ЛИЦЕНЗИЯ" in pages[0]
    assert f"№ {licence.number}/1 от" in pages[0] and f"№ {licence.number}/2 от" in pages[0]
    assert [("ПРИЛОЖЕНИЕ К ЛИЦЕНЗИИ" in p, f"{licence.number}/{n}" in p)
            for n, p in ((1, pages[1]), (2, pages[2]))] == [(True, True), (True, True)]


def test_an_appendix_to_an_unknown_licence_cannot_be_issued(db_session, org, pki, portal):
    doc = received(portal, "licence-appendix", sender="ELICENSE",
                   details=LicenceAppendix(licence=LicenceRef(number="KZ00NOSUCH",
                                                              issue_date=date(2020, 1, 1)),
                                           activity=ACTIVITY))
    road.registered(doc, org)
    executor = org.outsider if doc.resolver is org.other_head else org.executor
    road.assigned(doc, org, head=doc.resolver, executor=executor)
    execution.save_draft(doc, executor=executor, now=utcnow(), draft_version=None,
                         outcome=Outcome.APPENDIX_ISSUED.value, text=road.GOOD_ANSWER,
                         legal_basis=road.LEGAL_BASIS, appeal_procedure="В суд.",
                         refusal_grounds="")
    with pytest.raises(Refused) as caught:
        execution.submit(doc, executor=executor, now=utcnow(), acknowledge_warnings=True)
    assert "licence_unknown" in caught.value.details["checks"]
    assert "KZ00NOSUCH" in str(caught.value.message)


def test_a_reissue_keeps_the_number_and_the_previous_version(db_session, org, pki, portal,
                                                              tmp_path):
    licence = _issued_licence(org, pki, portal)
    before = licence_numbers_taken()
    first_holder = licence.holder_name
    doc = received(portal, "licence-reissue", sender="ELICENSE", details=LicenceReissue(
        licence=LicenceRef(number=licence.number, issue_date=licence.issued_on),
        activity=ACTIVITY, reason=ReissueReason.NAME_CHANGE, reason_text="Смена наименования"))
    letter = answered(doc, org, pki, Outcome.LICENCE_REISSUED)

    read, permit = issued_document(letter, pki, tmp_path)
    assert permit.number == licence.number and permit.version == 2
    assert read.issued.number == licence.number
    assert f"Лицензия № {licence.number} переоформлена" in read.text
    assert [v.version for v in licence.versions] == [1, 2]
    assert licence.versions[0].data["holder_name"] == first_holder
    assert licence.versions[1].data["holder_name"] == doc.author_name
    assert licence.versions[1].event == "reissued"
    assert licence_numbers_taken() == before
