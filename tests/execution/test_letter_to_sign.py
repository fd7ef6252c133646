"""The official reads the letter before signing it: right above the sign form, the letter
as it will be sent (outcome, text, legal basis, appeal procedure, files), from the
approved round."""

from __future__ import annotations

from app.documents.storage import blob_store
from app.execution import service as execution
from app.extensions import db
from app.timeutil import utcnow
from tests.execution import road
from tests.execution.road import GOOD_ANSWER, LEGAL_BASIS
from tests.factories import Org, make_document


def test_the_signer_reads_the_letter_above_the_sign_form(app, login):
    with app.app_context():
        org = Org()
        document = road.drafted(road.assigned(road.registered(make_document(), org), org), org)
        execution.add_file(document, author=org.executor, file_name="смета-ремонта.pdf",
                           media_type="application/pdf", data=b"%PDF-1.4 test", now=utcnow(),
                           store=blob_store())
        road.approved(road.submitted(document, org), org)
        db.session.commit()
        document_id = document.id
    page = login("signer").get(f"/documents/{document_id}").text
    letter = page.index('class="letter-to-sign"')
    form = page.index(f'action="/documents/{document_id}/sign"')
    assert letter < form
    shown = page[letter:form]
    assert "как оно будет отправлено" in shown
    assert "Разъяснено" in shown  # the outcome
    assert GOOD_ANSWER[:60] in shown and LEGAL_BASIS in shown
    assert "Порядок обжалования" in shown and "смета-ремонта.pdf" in shown
    # and once: not a second copy elsewhere on the page
    assert page.count(LEGAL_BASIS) == 1
