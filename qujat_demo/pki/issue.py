"""Small functions that issue certificates, revocation lists and key containers.

Nothing here knows the demo layout (see hierarchy.py) or Kazakhstan's OIDs: a caller says
what a certificate must carry and these functions put it in the shape NCA certificates
have (full AKI on CA certificates, key-id AKI on end-entity ones, no basicConstraints on
end entities, CPS plus user notice in the policies). What a caller leaves out (no
policies, an issuer that publishes no URLs) is left out of the certificate, as the tests'
plainer chains want (tests/xmlsig/certbuilder.py).

The key algorithm is a parameter (algorithms.py), never assumed: these functions fill in a
template (templates.py) and the issuer's ``KeyAlgorithm`` signs it, so RSA and GOST CAs
issue the same shapes. Public keys travel as SubjectPublicKeyInfo DER, which both have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from .algorithms import KeyAlgorithm, PrivateKey
from .templates import (
    CertificateTemplate,
    CrlTemplate,
    Revocation,
    Validity,
    key_identifier,
)

__all__ = ["Issuer", "Policy", "Revocation", "Validity"]


@dataclass(frozen=True)
class Policy:
    """One certificatePolicies entry: the OID with the CPS pointer and the user notice the
    NCA puts beside it (the notice repeats the CPS address, as in the fixtures)."""

    oid: str
    cps_url: str
    user_notice: str | None = None

    def to_extension_value(self) -> x509.PolicyInformation:
        qualifiers: list[str | x509.UserNotice] = [self.cps_url]
        if self.user_notice is not None:
            qualifiers.append(
                x509.UserNotice(notice_reference=None, explicit_text=self.user_notice)
            )
        return x509.PolicyInformation(x509.ObjectIdentifier(self.oid), qualifiers)


@dataclass(frozen=True)
class Issuer:
    """A CA able to issue: its certificate, its key, and where its products are published."""

    certificate: x509.Certificate
    key: PrivateKey = field(repr=False)
    algorithm: KeyAlgorithm
    #: where relying parties fetch this CA's own certificate (AIA caIssuers of its
    #: children); None: nowhere, and its children carry no AIA
    certificate_url: str | None
    #: where this CA publishes its CRL (CRL distribution point of its children); None:
    #: nowhere, and its children carry no CRL distribution point
    crl_url: str | None


#: key usages by name, so profiles read as words rather than nine positional booleans
_KEY_USAGE_FIELDS = (
    "digital_signature",
    "content_commitment",  # nonRepudiation
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def key_usage(*names: str) -> x509.KeyUsage:
    """``key_usage("digital_signature", "content_commitment")`` -> a KeyUsage value."""
    unknown = set(names) - set(_KEY_USAGE_FIELDS)
    if unknown:
        raise ValueError(f"unknown key usage: {', '.join(sorted(unknown))}")
    return x509.KeyUsage(**{name: name in names for name in _KEY_USAGE_FIELDS})


CA_KEY_USAGE = key_usage("key_cert_sign", "crl_sign")
SIGNING_KEY_USAGE = key_usage("digital_signature", "content_commitment")
AUTHENTICATION_KEY_USAGE = key_usage("digital_signature", "key_encipherment")
#: the NCA's GOST keys since 2022, one key to sign and to log in (keys/gost2015)
SIGN_AND_AUTH_KEY_USAGE = key_usage("digital_signature", "content_commitment", "key_agreement")

EMAIL_PROTECTION = ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string


def _ski(public_key: bytes) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier(key_identifier(public_key))


def _key_id_of(issuer: Issuer) -> bytes:
    return issuer.certificate.extensions.get_extension_for_class(
        x509.SubjectKeyIdentifier
    ).value.digest


def _full_aki(
    *, key_id: bytes, issuer_name: x509.Name, issuer_serial: int
) -> x509.AuthorityKeyIdentifier:
    # NCA CA certificates name the issuer and its serial besides the key id; path builders
    # that match on issuer+serial then find the right root after a re-key.
    return x509.AuthorityKeyIdentifier(
        key_identifier=key_id,
        authority_cert_issuer=[x509.DirectoryName(issuer_name)],
        authority_cert_serial_number=issuer_serial,
    )


def _uri(url: str) -> x509.UniformResourceIdentifier:
    return x509.UniformResourceIdentifier(url)


def _crl_distribution_points(url: str | None) -> x509.CRLDistributionPoints | None:
    if url is None:
        return None
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[_uri(url)], relative_name=None, reasons=None, crl_issuer=None
            )
        ]
    )


def _ca_issuers(url: str | None) -> x509.AuthorityInformationAccess | None:
    # No OCSP entry: the demo runs no responder, and a verifier must not wait on one.
    if url is None:
        return None
    return x509.AuthorityInformationAccess(
        [x509.AccessDescription(x509.AuthorityInformationAccessOID.CA_ISSUERS, _uri(url))]
    )


def _policies(policies: Sequence[Policy]) -> x509.CertificatePolicies | None:
    if not policies:
        return None
    return x509.CertificatePolicies([p.to_extension_value() for p in policies])


def _present(
    *extensions: tuple[x509.ExtensionType | None, bool],
) -> tuple[tuple[x509.ExtensionType, bool], ...]:
    """The extensions in their order, less those the caller had nothing to put in."""
    return tuple((value, critical) for value, critical in extensions if value is not None)


def issue_root_ca(
    *,
    subject: x509.Name,
    key: PrivateKey,
    algorithm: KeyAlgorithm,
    validity: Validity,
    policies: Sequence[Policy],
    path_length: int | None = 1,
) -> x509.Certificate:
    """A self-signed root: critical basicConstraints, keyCertSign+cRLSign, SKI = AKI."""
    serial = x509.random_serial_number()
    public_key = algorithm.public_key_info(key)
    ski = _ski(public_key)
    template = CertificateTemplate(
        subject=subject,
        issuer=subject,
        serial_number=serial,
        validity=validity,
        public_key=public_key,
        extensions=_present(
            (x509.BasicConstraints(ca=True, path_length=path_length), True),
            (CA_KEY_USAGE, True),
            (ski, False),
            (_full_aki(key_id=ski.digest, issuer_name=subject, issuer_serial=serial), False),
            (_policies(policies), False),
        ),
    )
    return algorithm.sign_certificate(template, key)


def issue_intermediate_ca(
    *,
    subject: x509.Name,
    public_key: bytes,
    issuer: Issuer,
    validity: Validity,
    policies: Sequence[Policy],
    path_length: int | None = 0,
) -> x509.Certificate:
    """An issuing CA under ``issuer``, pointing at the issuer's certificate and CRL.
    ``public_key`` is the CA's SubjectPublicKeyInfo (DER)."""
    parent = issuer.certificate
    template = CertificateTemplate(
        subject=subject,
        issuer=parent.subject,
        serial_number=x509.random_serial_number(),
        validity=validity,
        public_key=public_key,
        extensions=_present(
            (x509.BasicConstraints(ca=True, path_length=path_length), True),
            (CA_KEY_USAGE, True),
            (_ski(public_key), False),
            (
                _full_aki(
                    key_id=_key_id_of(issuer),
                    issuer_name=parent.subject,
                    issuer_serial=parent.serial_number,
                ),
                False,
            ),
            (_ca_issuers(issuer.certificate_url), False),
            (_policies(policies), False),
            (_crl_distribution_points(issuer.crl_url), False),
        ),
    )
    return issuer.algorithm.sign_certificate(template, issuer.key)


def issue_end_entity(
    *,
    subject: x509.Name,
    public_key: bytes,
    issuer: Issuer,
    validity: Validity,
    usage: x509.KeyUsage,
    extended_usage: Sequence[str],
    policies: Sequence[Policy],
    serial_number: int | None = None,
) -> x509.Certificate:
    """A holder's certificate. Like the NCA's: no basicConstraints, critical key usage,
    extended key usage naming the purpose and then the holder's kind and roles.
    ``public_key`` is the holder's SubjectPublicKeyInfo (DER); the serial is random unless
    given."""
    template = CertificateTemplate(
        subject=subject,
        issuer=issuer.certificate.subject,
        serial_number=serial_number or x509.random_serial_number(),
        validity=validity,
        public_key=public_key,
        extensions=_present(
            (usage, True),
            (x509.ExtendedKeyUsage([x509.ObjectIdentifier(oid) for oid in extended_usage]), False),
            (_key_id_aki(issuer), False),
            (_ski(public_key), False),
            (_policies(policies), False),
            (_crl_distribution_points(issuer.crl_url), False),
            (_ca_issuers(issuer.certificate_url), False),
        ),
    )
    return issuer.algorithm.sign_certificate(template, issuer.key)


def issue_crl(
    *,
    issuer: Issuer,
    number: int,
    this_update: datetime,
    next_update: datetime,
    revoked: Sequence[Revocation] = (),
    extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
) -> x509.CertificateRevocationList:
    """A full CRL (v2) with CRL number and AKI, then any further ``extensions`` (value,
    critical), each entry carrying its reason code."""
    template = CrlTemplate(
        issuer=issuer.certificate.subject,
        this_update=this_update,
        next_update=next_update,
        extensions=(
            (x509.CRLNumber(number), False), (_key_id_aki(issuer), False), *extensions
        ),
        revoked=tuple(revoked),
    )
    return issuer.algorithm.sign_crl(template, issuer.key)


def pkcs12_container(
    *,
    key: PrivateKey,
    algorithm: KeyAlgorithm,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
    password: str,
) -> bytes:
    """A PKCS#12 file with the key, its certificate and the chain up to the root, in the
    family's format (see algorithms.py).

    The friendly name is the SKI in hex, as in the NCA's own files (RSA256_<ski>.p12).
    """
    ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return algorithm.pkcs12(
        key=key,
        certificate=certificate,
        chain=chain,
        password=password,
        friendly_name=ski.digest.hex(),
    )


def _key_id_aki(issuer: Issuer) -> x509.AuthorityKeyIdentifier:
    # end entities and CRLs name their issuer by key id only, as the NCA's do
    return x509.AuthorityKeyIdentifier(
        key_identifier=_key_id_of(issuer),
        authority_cert_issuer=None,
        authority_cert_serial_number=None,
    )
