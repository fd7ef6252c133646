"""The table of procedures: every kind of the seeds has one, each outcome produces what
its law says, and the documents required are those the portals list."""

from __future__ import annotations

from datetime import date

import pytest

from app.deadlines.rules import KINDS, Rule, RuleError, shipped_rules
from app.formats.choices import AppealType, ApplicationKind, Outcome
from app.formats.model import GROUNDED_OUTCOMES, ISSUING_OUTCOMES
from app.procedures import (
    PROCEDURES,
    ApplicantType,
    Produces,
    applicant_type_of,
    missing_attachments,
    procedure_for,
)
from app.procedures.wording import issued_line


def test_every_application_kind_and_appeal_type_has_a_procedure():
    assert set(PROCEDURES) == set(ApplicationKind) | set(AppealType)
    for procedure in PROCEDURES.values():
        assert procedure.outcomes and procedure.deadline_rule and procedure.applicant_types


@pytest.mark.parametrize(("kind", "issued", "produces"), [
    (ApplicationKind.LICENCE_NEW, Outcome.LICENCE_ISSUED, Produces.LICENCE),
    (ApplicationKind.LICENCE_APPENDIX, Outcome.APPENDIX_ISSUED, Produces.APPENDIX),
    (ApplicationKind.LICENCE_REISSUE, Outcome.LICENCE_REISSUED, Produces.REISSUED_LICENCE),
    (ApplicationKind.LICENCE_RESTORE, Outcome.DATA_RESTORED, Produces.RESTORED_ENTRY),
    (ApplicationKind.NUMBERING_PERMIT, Outcome.PERMIT_ISSUED, Produces.NUMBERING_PERMIT),
    (ApplicationKind.SANITARY_NOTIFICATION, Outcome.NOTIFICATION_ACCEPTED,
     Produces.NOTIFICATION_TALON),
    (ApplicationKind.INSPECTION_REQUEST, Outcome.CONCLUSION_POSITIVE,
     Produces.SANITARY_CONCLUSION),
])
def test_each_kind_issues_what_its_law_says(kind, issued, produces):
    procedure = PROCEDURES[kind]
    assert procedure.result_of(issued) is produces
    assert produces.takes_licence_number == (kind is ApplicationKind.LICENCE_NEW)
    # a decision to issue a licence is offered only where a licence is issued
    assert (Outcome.LICENCE_ISSUED in procedure.outcomes) == (kind is
                                                              ApplicationKind.LICENCE_NEW)


def test_a_notification_is_never_decided_upon():
    procedure = PROCEDURES[ApplicationKind.SANITARY_NOTIFICATION]
    assert procedure.outcomes == (Outcome.NOTIFICATION_ACCEPTED,)
    with pytest.raises(ValueError, match="not an outcome"):
        procedure.result_of(Outcome.LICENCE_ISSUED)


def test_appeals_produce_nothing_in_the_register():
    for appeal_type in AppealType:
        assert set(PROCEDURES[appeal_type].produces.values()) == {Produces.NOTHING}


def test_the_stored_kind_finds_its_procedure():
    assert procedure_for("licence_restore").key is ApplicationKind.LICENCE_RESTORE
    assert procedure_for("appeal_legal", {"subtype": "complaint"}).key is AppealType.COMPLAINT
    with pytest.raises(ValueError):
        procedure_for("no_such_kind")


def test_required_documents_follow_the_seeds():
    restore = PROCEDURES[ApplicationKind.LICENCE_RESTORE]
    content = {"author": {"kind": "legal_entity", "bin": "120540001208"}, "attachments": []}
    assert [r.code for r in missing_attachments(restore, content)] == ["licence_copy"]
    content["attachments"] = [{"file_name": "kopiya-licenzii.pdf", "title": "Копия лицензии"}]
    assert missing_attachments(restore, content) == ()
    numbering = PROCEDURES[ApplicationKind.NUMBERING_PERMIT]
    form = {"attachments": [{"file_name": "a.pdf", "title": "Анықталған үлгідегі өтініш"}]}
    assert missing_attachments(numbering, form) == ()
    assert missing_attachments(PROCEDURES[ApplicationKind.SANITARY_NOTIFICATION], {}) == ()


def test_the_applicant_type_is_read_from_the_content():
    assert applicant_type_of({"author": {"kind": "legal_entity"}}) is ApplicantType.LEGAL_ENTITY
    assert applicant_type_of({"author": {"kind": "individual"},
                              "applicant": {"sole_proprietor": True}}
                             ) is ApplicantType.SOLE_PROPRIETOR
    assert applicant_type_of({"author": {"kind": "individual"}}) is ApplicantType.INDIVIDUAL


def test_the_letter_says_licence_only_for_a_licence():
    from datetime import date

    for outcome in ISSUING_OUTCOMES | {Outcome.LICENCE_ISSUED}:
        for language in ("ru", "kk"):
            line = issued_line(outcome, language, number="N-1", issue_date=date(2026, 1, 2),
                               licence_number="KZ1", valid_from=date(2026, 1, 2),
                               valid_to=date(2031, 1, 1))
            # a re-issue and restored data name the licence, whose number is kept
            keeps_licence = outcome in {Outcome.LICENCE_REISSUED, Outcome.DATA_RESTORED}
            assert ("KZ1" if keeps_licence else "N-1") in line
            if outcome in {Outcome.NOTIFICATION_ACCEPTED, Outcome.CONCLUSION_POSITIVE,
                           Outcome.CONCLUSION_NEGATIVE, Outcome.PERMIT_ISSUED}:
                assert "лиценз" not in line.casefold()
    assert issued_line(Outcome.EXPLAINED, "ru", number="N", issue_date=date(2026, 1, 1)) == ""
    assert Outcome.CONCLUSION_NEGATIVE in GROUNDED_OUTCOMES


def test_every_procedure_names_a_shipped_deadline_rule():
    """Deadline control picks a document's rule by the key its procedure names: each key
    has a rule in force today, and a rule can only be written for a key a procedure names."""
    book = shipped_rules()
    for key, procedure in PROCEDURES.items():
        assert book.rule_for(procedure.deadline_rule, date(2026, 12, 1)).kind == \
            procedure.deadline_rule, key
    assert set(KINDS) == {p.deadline_rule for p in PROCEDURES.values()}
    with pytest.raises(RuleError, match="kind 'licence'"):
        Rule.from_mapping({"code": "x", "kind": "licence", "period": 5,
                           "unit": "working_days", "starts_on": "registration",
                           "citation": "—", "valid_from": "2020-01-01"})
