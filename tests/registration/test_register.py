"""Registering and refusing: the service rules, the journal numbers, the marks."""

from __future__ import annotations

import pytest

from app.documents.states import DocumentState
from app.errors import (
    ConfirmationRequired,
    InvalidTransition,
    PermissionDenied,
    Refused,
    StaleDocument,
)
from app.formats.choices import RefusalReason
from app.registration import service
from app.timeutil import utcnow
from app.xmlsig.report import Indication
from tests.factories import make_document, user

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"


def test_registration_gives_the_next_number_of_the_kinds_journal(db_session):
    first, second = make_document(n=1), make_document(n=2)
    year = utcnow().year

    clerk = user("clerk")
    assert service.register(first, clerk=clerk, now=utcnow(), zone=ZONE) == f"ЖТ-{year}-000001"
    assert service.register(second, clerk=clerk, now=utcnow(), zone=ZONE) == f"ЖТ-{year}-000002"
    assert first.state is DocumentState.REGISTERED
    assert [m.kind.value for m in first.marks] == ["delivered", "registered"]
    assert [h.action.value for h in first.history] == ["receive", "register"]
    assert first.history[-1].actor.login == "clerk"


def test_each_journal_counts_on_its_own(db_session):
    appeal = make_document(n=1)
    licence = make_document(n=2, kind="licence_new")

    service.register(appeal, clerk=user("clerk"), now=utcnow(), zone=ZONE)
    number = service.register(licence, clerk=user("clerk"), now=utcnow(), zone=ZONE)

    assert number.startswith("ЛЦ-") and number.endswith("-000001")


def test_a_failed_signature_cannot_be_registered(db_session):
    document = make_document(indication=Indication.FAILED)

    with pytest.raises(Refused):
        service.register(document, clerk=user("clerk"), now=utcnow(), zone=ZONE)
    assert document.state is DocumentState.RECEIVED


def test_an_indeterminate_signature_needs_confirmation(db_session):
    document = make_document(indication=Indication.INDETERMINATE)

    with pytest.raises(ConfirmationRequired):
        service.register(document, clerk=user("clerk"), now=utcnow(), zone=ZONE)
    number = service.register(document, clerk=user("clerk"), now=utcnow(),
                              confirm_indeterminate=True, zone=ZONE)

    assert number.endswith("000001")
    assert document.history[-1].facts["confirmed_indeterminate"] is True


def test_refusal_records_the_reason_and_queues_a_refusal_mark(db_session):
    document = make_document(indication=Indication.FAILED)

    service.refuse(document, clerk=user("clerk"), now=utcnow(),
                   reason=RefusalReason.EDS_CHECK_FAILED, text="Подпись не прошла проверку")

    assert document.state is DocumentState.REJECTED
    assert document.refusal_reason == "eds_check_failed"
    assert document.marks[-1].kind.value == "refused"
    assert b"eds_check_failed" in document.marks[-1].xml


def test_other_reason_needs_an_explanation(db_session):
    with pytest.raises(Refused):
        service.refuse(make_document(), clerk=user("clerk"), now=utcnow(),
                       reason=RefusalReason.OTHER, text="  ")


def test_a_registered_document_cannot_be_registered_or_refused_again(db_session):
    document = make_document()
    service.register(document, clerk=user("clerk"), now=utcnow(), zone=ZONE)

    with pytest.raises(InvalidTransition):
        service.register(document, clerk=user("clerk"), now=utcnow(), zone=ZONE)
    with pytest.raises(InvalidTransition):
        service.refuse(document, clerk=user("clerk"), now=utcnow(),
                       reason=RefusalReason.DUPLICATE)


def test_a_form_from_an_older_version_is_stale(db_session):
    document = make_document()
    old_version = document.version
    service.refuse(document, clerk=user("clerk"), now=utcnow(), reason=RefusalReason.DUPLICATE)
    db_session.flush()

    with pytest.raises(StaleDocument):
        service.register(document, clerk=user("clerk"), now=utcnow(),
                         expected_version=old_version, zone=ZONE)


@pytest.mark.parametrize("login", ["head", "executor", "signer"])
def test_only_clerks_register(db_session, login):
    with pytest.raises(PermissionDenied):
        service.register(make_document(), clerk=user(login), now=utcnow(), zone=ZONE)


def test_a_journal_pattern_can_be_changed_and_must_keep_the_sequence(db_session):
    from app.journals.numbering import set_pattern

    with pytest.raises(Refused):
        set_pattern("appeals-individual", "ЖТ-{year}")
    with pytest.raises(Refused):
        set_pattern("appeals-individual", "ЖТ-{month}-{seq}")
    set_pattern("appeals-individual", "Ж/{seq:05d}/{year}")

    number = service.register(make_document(), clerk=user("clerk"), now=utcnow(), zone=ZONE)
    assert number == f"Ж/00001/{utcnow().year}"
