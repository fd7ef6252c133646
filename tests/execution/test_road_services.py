"""The whole road through the domain functions: registration to signed letter."""

from __future__ import annotations

import pytest

from app.documents.states import DocumentState
from app.errors import ConfirmationRequired, InvalidTransition, PermissionDenied, Refused
from app.execution import service as execution
from app.formats.choices import MarkKind
from app.formats.letters import read_response_letter
from app.xmlsig.verifier import verify_bytes
from tests.execution import road
from tests.factories import Org, make_document


@pytest.fixture
def org(db_session):
    return Org()


def test_an_appeal_travels_from_registration_to_a_signed_letter(db_session, org, pki, app):
    doc = road.registered(make_document(), org)
    assert doc.state is DocumentState.ON_RESOLUTION
    assert doc.resolver_id == org.head.id

    road.assigned(doc, org, coexecutors=[org.coexecutor])
    assert doc.state is DocumentState.IN_EXECUTION
    execution.add_part(doc, author=org.coexecutor, text="Сметы приложены.", now=doc.received_at)
    road.submitted(road.drafted(doc, org), org)
    road.approved(doc, org)
    assert doc.state is DocumentState.ON_SIGNATURE

    letter = road.signed(doc, org, pki)
    assert doc.state is DocumentState.ANSWERED and doc.closed_at is not None
    assert letter.outgoing_number.startswith("ИСХ-")
    kinds = [m.kind for m in doc.marks]
    # the "letter" mark waits until the portal has the letter (tests/marks/test_letter_mark.py)
    assert kinds == [MarkKind.DELIVERED, MarkKind.REGISTERED, MarkKind.PASSED_TO_RESOLUTION,
                     MarkKind.PASSED_TO_EXECUTION, MarkKind.EXECUTED]
    assert doc.marks[-1].letter is letter

    from app.trust import official_policy
    result = verify_bytes(letter.xml, policy=official_policy(), at=letter.signed_at)
    assert result.report.indication.value == "PASSED"
    read = read_response_letter(result.signed_root)
    assert read.in_reply_to.registration_number == doc.registration_number
    assert read.outcome.value == "explained"
    assert "Статья 89" in read.text


def test_soft_checks_must_be_acknowledged(db_session, org):
    doc = road.assigned(road.registered(make_document(), org), org)
    execution.save_draft(doc, executor=org.executor, now=doc.received_at, draft_version=None,
                         outcome="explained", text="Коротко.", legal_basis="",
                         appeal_procedure="", refusal_grounds="")
    with pytest.raises(ConfirmationRequired) as caught:
        execution.submit(doc, executor=org.executor, now=doc.received_at)
    assert set(caught.value.details["checks"]) == {"reasoned", "norms", "appeal"}
    execution.submit(doc, executor=org.executor, now=doc.received_at, acknowledge_warnings=True)
    assert doc.state is DocumentState.ON_APPROVAL


def test_a_citizen_key_cannot_sign_a_letter(db_session, org, pki):
    doc = road.approved(road.submitted(road.drafted(road.assigned(
        road.registered(make_document(), org), org), org), org), org)
    with pytest.raises(Refused) as caught:
        road.signed(doc, org, pki, key="individual_sign")
    assert caught.value.code in {"key_not_for_state_body", "key_not_yours"}
    assert doc.state is DocumentState.ON_SIGNATURE


def test_only_the_resolver_writes_the_resolution(db_session, org):
    doc = road.registered(make_document(), org)
    with pytest.raises(PermissionDenied):
        road.assigned(doc, org, head=org.other_head)
    with pytest.raises(InvalidTransition):
        execution.submit(doc, executor=org.executor, now=doc.received_at)


def test_a_licence_refusal_names_its_grounds_in_the_signed_letter(db_session, org, pki):
    doc = road.assigned(road.registered(make_document(kind="licence_new"), org), org,
                        head=org.other_head, executor=org.outsider)
    execution.save_draft(doc, executor=org.outsider, now=doc.received_at, draft_version=None,
                         outcome="licence_refused", text=road.GOOD_ANSWER,
                         legal_basis=road.LEGAL_BASIS, appeal_procedure="В суд.",
                         refusal_grounds="")
    with pytest.raises(Refused):  # a refusal without grounds cannot even be submitted
        execution.submit(doc, executor=org.outsider, now=doc.received_at,
                         acknowledge_warnings=True)
    execution.save_draft(doc, executor=org.outsider, now=doc.received_at, draft_version=None,
                         outcome="licence_refused", text=road.GOOD_ANSWER,
                         legal_basis=road.LEGAL_BASIS, appeal_procedure="В суд.",
                         refusal_grounds="Нет квалифицированного персонала\nНет помещения")
    execution.submit(doc, executor=org.outsider, now=doc.received_at, acknowledge_warnings=True)
    execution.approve(doc, head=org.other_head, signer=org.signer, now=doc.received_at)

    letter = road.signed(doc, org, pki)

    from app.trust import official_policy
    read = read_response_letter(verify_bytes(letter.xml, policy=official_policy(),
                                             at=letter.signed_at).signed_root)
    assert read.outcome.value == "licence_refused"
    assert read.refusal_grounds == ("Нет квалифицированного персонала", "Нет помещения")


def test_an_officials_gost_key_signs_the_letter(db_session, org, pki):
    doc = road.approved(road.submitted(road.drafted(road.assigned(
        road.registered(make_document(), org), org), org), org), org)
    letter = road.signed(doc, org, pki, key="gost_official_sign")
    assert b"gostr34102015-gostr34112015-512" in letter.xml
