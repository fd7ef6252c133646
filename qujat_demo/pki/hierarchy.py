"""The demo layout: which CAs, who holds which key under which of them, in which shape.

Shaped after the NCA's published test certificates (the shared fixtures/kz-nca): the same
subject layout, key usages, extended key usages and policy OIDs, so the verifier meets
the demo keys exactly as it meets real ones. Names say DEMO on every CA; people and companies are
invented, their IINs and BINs carry valid check digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from app.xmlsig.certificates import NCA_INDIVIDUAL, NCA_LEGAL_ENTITY, NcaRole

from . import issue
from .issue import Policy
from .manifest import HolderKind, KeyPurpose
from .oids import (
    NCA_LEAF_POLICIES,
    POLICY_NCA,
    POLICY_NCA_GOST_LEAF,
    POLICY_ROOT,
    POLICY_STATE_CA,
    POLICY_STATE_LEAF,
)

DEFAULT_PASSWORD = "Qwerty12"  # the NCA test keys' password, so one password opens both

BASE_URL = "http://demo.invalid"
CPS_ROOT = f"{BASE_URL}/root/cps"
CPS_NCA = f"{BASE_URL}/nca/cps"
CPS_STATE = f"{BASE_URL}/gov/cps"

# КО = куәландырушы орталық, МО = мемлекеттік органдар, as in the NCA's own test root
# "НЕГІЗГІ КО TEST (RSA)". The full names do not fit: cryptography caps a name attribute
# at 64 UTF-8 bytes (X.520 means 64 characters) and warns whenever it merely *reads* a
# longer one, which would fail every test run with warnings as errors.
CA_NAMES = {
    "citizen": ("НЕГІЗГІ КО ({family}) DEMO", "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ ({family}) DEMO"),
    "state": ("МО НЕГІЗГІ КО ({family}) DEMO", "МЕМЛЕКЕТТІК ОРГАНДАРДЫҢ КО ({family}) DEMO"),
}
CA_DAYS = {"root": 20 * 365 + 5, "issuing": 10 * 365 + 2}
LEAF_DAYS = 365
CRL_DAYS = 7


# --- who holds the keys ----------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    surname: str
    name: str
    patronymic: str
    #: YYMMDD, century+sex digit, 4-digit serial, check digit; None: the certificate
    #: names nobody by IIN (never in the demo; a case the verifier must handle)
    iin: str | None


@dataclass(frozen=True)
class Organization:
    name: str
    #: YYMM registered, 4 = resident legal entity, 0 = head office, serial, check digit
    bin: str


@dataclass(frozen=True)
class KeySpec:
    role: str
    ca: str  # "citizen" or "state"
    purpose: KeyPurpose
    description: str
    person: Person | None = None
    organization: Organization | None = None
    legal_roles: tuple[str, ...] = ()
    #: CN of a key held by a system rather than a person
    system_name: str | None = None
    revoked: bool = False

    @property
    def holder_kind(self) -> HolderKind:
        return HolderKind.LEGAL_ENTITY if self.organization else HolderKind.INDIVIDUAL


NURLAN = Person("ӘБІЛҚАЙЫРОВ", "НҰРЛАН", "СЕРІКҰЛЫ", "850314301283")
SAULE = Person("ЖҰМАБАЕВА", "СӘУЛЕ", "ҚАЙРАТҚЫЗЫ", "920712450630")
ERLAN = Person("ТӨЛЕГЕНОВ", "ЕРЛАН", "МАРАТҰЛЫ", "781102300474")
GULNAR = Person("ОМАРОВА", "ГҮЛНАР", "БОЛАТҚЫЗЫ", "880525402118")
DAUREN = Person("СӘРСЕНБАЕВ", "ДӘУРЕН", "АСҚАРҰЛЫ", "010903503424")
AIGERIM = Person("ҚАСЫМОВА", "АЙГЕРІМ", "НҰРЛАНҚЫЗЫ", "830417401559")

AQ_ZHOL = Organization("«АҚ ЖОЛ» ЖШС", "120540001208")
STATE_BODY = Organization("«ҚР DEMO МИНИСТРЛІГІ» РММ", "990240001128")

KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "individual_sign", "citizen", KeyPurpose.SIGN, "individual, signing key", person=NURLAN
    ),
    KeySpec(
        "individual_auth",
        "citizen",
        KeyPurpose.AUTH,
        "individual, authentication key: must not be accepted as a signature",
        person=NURLAN,
    ),
    KeySpec(
        "individual_revoked_sign",
        "citizen",
        KeyPurpose.SIGN,
        "individual, signing key REVOKED (keyCompromise) in citizen_crl",
        person=SAULE,
        revoked=True,
    ),
    KeySpec(
        "legal_head_sign",
        "citizen",
        KeyPurpose.SIGN,
        "company's first head, signing key",
        person=ERLAN,
        organization=AQ_ZHOL,
        legal_roles=("first_head",),
    ),
    KeySpec(
        "legal_head_auth",
        "citizen",
        KeyPurpose.AUTH,
        "company's first head, authentication key",
        person=ERLAN,
        organization=AQ_ZHOL,
        legal_roles=("first_head",),
    ),
    KeySpec(
        "legal_signer_sign",
        "citizen",
        KeyPurpose.SIGN,
        "company employee with the right to sign, signing key",
        person=GULNAR,
        organization=AQ_ZHOL,
        legal_roles=("may_sign",),
    ),
    KeySpec(
        "legal_employee_sign",
        "citizen",
        KeyPurpose.SIGN,
        "ordinary company employee: may not sign for the company",
        person=DAUREN,
        organization=AQ_ZHOL,
        legal_roles=("employee",),
    ),
    KeySpec(
        "official_sign",
        "state",
        KeyPurpose.SIGN,
        "official of the demo state body, signs response letters",
        person=AIGERIM,
        organization=STATE_BODY,
        legal_roles=("may_sign",),
    ),
    KeySpec(
        "system_sign",
        "state",
        KeyPurpose.SIGN,
        "the back office's system key, signs status marks",
        organization=STATE_BODY,
        legal_roles=("system",),
        system_name="QUJAT DEMO",
    ),
)


def holder_subject(
    *, person: Person | None, organization: Organization | None, system_name: str | None = None
) -> x509.Name:
    """CN, SN, serialNumber=IIN…, C, O, OU=BIN…, GN: the NCA's order and attributes."""
    attributes: list[x509.NameAttribute] = []
    if person is not None:
        attributes += [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{person.surname} {person.name}"),
            x509.NameAttribute(NameOID.SURNAME, person.surname),
        ]
        if person.iin is not None:
            attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{person.iin}"))
    elif system_name is not None:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, system_name))
    else:
        raise ValueError("a subject needs a person or a system name")
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"))
    if organization is not None:
        attributes += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization.name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{organization.bin}"),
        ]
    if person is not None:
        attributes.append(x509.NameAttribute(NameOID.GIVEN_NAME, person.patronymic))
    return x509.Name(attributes)


def extended_usage(spec: KeySpec) -> tuple[str, ...]:
    """Purpose first, then the holder's kind and roles, as in the fixtures. A GOST key
    that also logs in carries emailProtection only, like the NCA's 2026 GOST keys."""
    purpose = issue.CLIENT_AUTH if spec.purpose is KeyPurpose.AUTH else issue.EMAIL_PROTECTION
    if spec.holder_kind is HolderKind.INDIVIDUAL:
        return (purpose, NCA_INDIVIDUAL.dotted_string)
    roles = (NcaRole(r).oid.dotted_string for r in spec.legal_roles)
    return (purpose, NCA_LEGAL_ENTITY.dotted_string, *roles)


def key_usage(spec: KeySpec) -> x509.KeyUsage:
    if spec.purpose is KeyPurpose.SIGN:
        return issue.SIGNING_KEY_USAGE
    if spec.purpose is KeyPurpose.SIGN_AND_AUTH:
        return issue.SIGN_AND_AUTH_KEY_USAGE
    return issue.AUTHENTICATION_KEY_USAGE


def ca_subjects(ca: str, *, family: str) -> tuple[x509.Name, x509.Name]:
    """(root, issuing CA) subjects of the "citizen" or "state" chain for a key family."""
    root, issuing = (name.format(family=family) for name in CA_NAMES[ca])
    # the NCA's roots list CN before C, its issuing CAs C before CN; kept as found
    country = x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")
    return (
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, root), country]),
        x509.Name([country, x509.NameAttribute(NameOID.COMMON_NAME, issuing)]),
    )


#: policy of each chain's root and issuing CA certificates
CA_POLICIES = {
    "citizen": (Policy(POLICY_ROOT, CPS_ROOT), Policy(POLICY_NCA, CPS_NCA)),
    "state": (Policy(POLICY_ROOT, CPS_ROOT), Policy(POLICY_STATE_CA, CPS_STATE)),
}


def leaf_policy(spec: KeySpec) -> Policy:
    if spec.ca == "state":
        return Policy(POLICY_STATE_LEAF, CPS_STATE, user_notice=CPS_STATE)
    if spec.purpose is KeyPurpose.SIGN_AND_AUTH:
        return Policy(POLICY_NCA_GOST_LEAF, CPS_NCA, user_notice=CPS_NCA)
    return Policy(NCA_LEAF_POLICIES[(spec.holder_kind, spec.purpose)], CPS_NCA, user_notice=CPS_NCA)


# --- the GOST family -------------------------------------------------------------------
#: Since 2022 the NCA issues one GOST 34.10-2015 key per holder for signing and logging in
#: (keys/gost2015 in the fixtures): key usage digitalSignature + nonRepudiation +
#: keyAgreement, extended key usage emailProtection and the holder OIDs, policy
#: 1.2.398.3.3.2. The same people and companies as the RSA family, roles prefixed "gost_".
GOST_KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "gost_individual_sign",
        "citizen",
        KeyPurpose.SIGN_AND_AUTH,
        "individual, GOST key (signs and logs in)",
        person=NURLAN,
    ),
    KeySpec(
        "gost_individual_revoked_sign",
        "citizen",
        KeyPurpose.SIGN_AND_AUTH,
        "individual, GOST key REVOKED (keyCompromise) in gost_citizen_crl",
        person=SAULE,
        revoked=True,
    ),
    KeySpec(
        "gost_legal_head_sign",
        "citizen",
        KeyPurpose.SIGN_AND_AUTH,
        "company's first head, GOST key",
        person=ERLAN,
        organization=AQ_ZHOL,
        legal_roles=("first_head",),
    ),
    KeySpec(
        "gost_legal_signer_sign",
        "citizen",
        KeyPurpose.SIGN_AND_AUTH,
        "company employee with the right to sign, GOST key",
        person=GULNAR,
        organization=AQ_ZHOL,
        legal_roles=("may_sign",),
    ),
    KeySpec(
        "gost_legal_employee_sign",
        "citizen",
        KeyPurpose.SIGN_AND_AUTH,
        "ordinary company employee, GOST key: may not sign for the company",
        person=DAUREN,
        organization=AQ_ZHOL,
        legal_roles=("employee",),
    ),
    KeySpec(
        "gost_official_sign",
        "state",
        KeyPurpose.SIGN_AND_AUTH,
        "official of the demo state body, GOST key (the state bodies' CA issues GOST)",
        person=AIGERIM,
        organization=STATE_BODY,
        legal_roles=("may_sign",),
    ),
    KeySpec(
        "gost_system_sign",
        "state",
        KeyPurpose.SIGN_AND_AUTH,
        "the back office's system key, GOST",
        organization=STATE_BODY,
        legal_roles=("system",),
        system_name="QUJAT DEMO",
    ),
)
