"""A letter in Kazakh names the body, the signer's position and its number in Kazakh; a
letter in Russian keeps the Russian ones."""

from __future__ import annotations

import pytest

from app.documents.storage import blob_store
from app.execution import service as execution
from app.execution.signing import sign_letter
from app.extensions import db
from app.formats.letters import read_response_letter
from app.settings import Body
from app.timeutil import utcnow
from app.trust import official_policy
from app.xmlsig.parsing import parse_xml
from tests.execution import road
from tests.factories import Org, make_document

BODY = Body(code="MIO-DEMO", name="Акимат города Демо", zone="Asia/Almaty",
            name_kk="Демо қаласының әкімдігі")


def _letter_in(language: str, org, pki, *, n: int = 1):
    document = make_document(n=n)
    document.language = language
    road.assigned(road.registered(document, org), org)
    road.drafted(document, org)
    execution.submit(document, executor=document.executor, now=utcnow(),
                     acknowledge_warnings=True)
    road.approved(document, org)
    letter = sign_letter(document, official=org.signer,
                         pkcs12=pki.keys["official_sign"].path.read_bytes(),
                         password=pki.password, now=utcnow(), policy=official_policy(),
                         body=BODY, store=blob_store())
    db.session.flush()
    tree = parse_xml(letter.xml, max_bytes=10**7, max_depth=64)
    return letter, read_response_letter(tree.getroot())


@pytest.mark.usefixtures("db_session")
def test_a_kazakh_letter_names_the_body_the_position_and_the_number_in_kazakh(app, pki):
    org = Org()
    org.signer.position_kk = "Әкімнің орынбасары"

    letter, read = _letter_in("kk", org, pki)

    assert read.issuer.name == "Демо қаласының әкімдігі"
    assert read.signer.position == "Әкімнің орынбасары"
    assert letter.outgoing_number.startswith("ШЫҒ-")
    assert read.outgoing_number == letter.outgoing_number


@pytest.mark.usefixtures("db_session")
def test_a_russian_letter_keeps_the_russian_names_and_shares_the_numbering(app, pki):
    org = Org()
    org.signer.position_kk = "Әкімнің орынбасары"

    _kazakh, _read = _letter_in("kk", org, pki)
    letter, read = _letter_in("ru", org, pki, n=2)

    assert read.issuer.name == "Акимат города Демо"
    assert read.signer.position == "Заместитель руководителя"
    assert letter.outgoing_number.startswith("ИСХ-")
    # one counter for both languages: the Russian letter is the second of the year
    assert letter.outgoing_number.endswith("000002")


@pytest.mark.usefixtures("db_session")
def test_without_a_kazakh_position_the_kazakh_letter_says_the_russian_one(app, pki):
    org = Org()

    _letter, read = _letter_in("kk", org, pki)

    assert read.signer.position == "Заместитель руководителя"
    assert Body(code="X", name="Орган", zone="Asia/Almaty").name_in("kk") == "Орган"
