"""Is the signer the author, and may they sign for them?"""

from __future__ import annotations

import pytest

from app.xmlsig.certificates import describe
from app.xmlsig.identity import check_signer_is_author
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CertificateInfo, CheckCode, Outcome, SubIndication
from tests.xmlsig.certbuilder import Pki, p12_cert

IIN = "123456789011"
OTHER_IIN = "987654321098"
BIN = "123456789021"
OTHER_BIN = "987654321021"


@pytest.fixture(scope="module")
def generated() -> Pki:
    return Pki.create()


def outcomes(info: CertificateInfo, *, iin=None, bin=None, policy=None):
    author, authority = check_signer_is_author(
        info, iin=iin, bin=bin, policy=policy or TrustPolicy()
    )
    assert (author.code, authority.code) == (
        CheckCode.SIGNER_IS_AUTHOR,
        CheckCode.SIGNER_AUTHORITY,
    )
    return author, authority


def assert_refused(check, *mentions: str) -> None:
    assert check.outcome is Outcome.FAILED
    assert check.sub_indication is SubIndication.SIG_CONSTRAINTS_FAILURE
    for mention in mentions:
        assert mention in check.detail


# --- individuals --------------------------------------------------------------------------


def test_individual_signs_their_own_appeal(generated):
    author, authority = outcomes(describe(generated.individual(iin=IIN).certificate), iin=IIN)

    assert author.outcome is Outcome.PASSED
    assert authority.outcome is Outcome.SKIPPED


def test_someone_else_signed_the_appeal(generated):
    author, _ = outcomes(describe(generated.individual(iin=OTHER_IIN).certificate), iin=IIN)

    assert_refused(author, IIN, OTHER_IIN)


def test_certificate_without_iin(generated):
    author, _ = outcomes(describe(generated.individual(iin=None).certificate), iin=IIN)

    assert_refused(author, IIN, "carries no IIN")


def test_personal_appeal_signed_with_a_company_certificate(generated):
    employee = describe(generated.employee(roles=["first_head"], iin=IIN).certificate)

    author, _ = outcomes(employee, iin=IIN)

    assert_refused(author, IIN, BIN, "personal certificate")


def test_kalkan_fixture_signer_is_iin_123456789011():
    info = describe(p12_cert("keys/key_individual_valid_sign_2004.p12"))

    assert outcomes(info, iin=" 123456789011 ")[0].outcome is Outcome.PASSED


# --- legal entities -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["first_head", "may_sign"])
def test_head_or_authorised_employee_signs_for_the_company(generated, role):
    info = describe(generated.employee(roles=[role], bin=BIN).certificate)

    author, authority = outcomes(info, bin=BIN)

    assert author.outcome is Outcome.PASSED
    assert authority.outcome is Outcome.PASSED


@pytest.mark.parametrize("roles", [["employee"], ["finance", "hr"], []])
def test_employee_without_the_right_to_sign(generated, roles):
    info = describe(generated.employee(roles=roles, iin=OTHER_IIN, bin=BIN).certificate)

    author, authority = outcomes(info, bin=BIN)

    assert author.outcome is Outcome.PASSED
    assert_refused(authority, OTHER_IIN, BIN, "without the right to sign", "first head")


def test_employee_of_another_company(generated):
    info = describe(generated.employee(roles=["first_head"], bin=OTHER_BIN).certificate)

    author, authority = outcomes(info, bin=BIN)

    assert_refused(author, BIN, OTHER_BIN)
    assert authority.outcome is Outcome.SKIPPED


def test_company_appeal_signed_with_a_personal_certificate(generated):
    author, authority = outcomes(describe(generated.individual(iin=IIN).certificate), bin=BIN)

    assert_refused(author, BIN, IIN, "personal certificate")
    assert authority.outcome is Outcome.FAILED


def test_bin_without_the_legal_entity_mark(generated):
    info = describe(generated.employee(roles=[], holder_oids=()).certificate)

    author, _ = outcomes(info, bin=BIN)

    assert_refused(author, "does not mark")


def test_the_policy_decides_which_roles_may_sign(generated):
    info = describe(generated.employee(roles=["finance"]).certificate)
    policy = TrustPolicy(legal_signing_roles=frozenset({"first_head", "finance"}))

    assert outcomes(info, bin=BIN, policy=policy)[1].outcome is Outcome.PASSED


def test_gost_fixtures_head_may_sign_employee_may_not():
    head = describe(p12_cert("keys/gost2015/legal_head_valid.p12"))
    employee = describe(p12_cert("keys/gost2015/legal_employee_valid.p12"))

    assert outcomes(head, bin=BIN)[1].outcome is Outcome.PASSED
    assert_refused(outcomes(employee, bin=BIN)[1], "123456789012", BIN)


def test_no_author_named(generated):
    author, authority = outcomes(describe(generated.individual().certificate))

    assert author.outcome is authority.outcome is Outcome.SKIPPED


def test_roles_survive_the_stored_report(generated):
    # the report is stored as JSON and read back: roles come back as plain strings
    info = describe(generated.employee(roles=["may_sign"]).certificate)
    stored = CertificateInfo.from_dict(info.to_dict())

    assert outcomes(stored, bin=BIN)[1].outcome is Outcome.PASSED
