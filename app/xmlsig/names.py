"""Reading the X.509 names of NCA certificates and CRLs.

cryptography checks a CommonName's length in UTF-8 *bytes* and warns past 64, whereas
RFC 5280's ub-common-name is 64 *characters*. The NCA's GOST 2022 CAs are named
«ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022»: 44 characters, 69 bytes. Every access to
such a name warns, and under ``filterwarnings = error`` (our pytest setting) the warning is
an exception. Everything in this package reads names, and extensions (which may hold
names), through here.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import TypeVar

from cryptography import x509
from cryptography.x509.oid import NameOID

_Extension = TypeVar("_Extension", bound=x509.ExtensionType)

#: the short names the NCA's own tools print (and clerks know), where RFC 4514 has none
_SHORT_NAMES = {
    NameOID.SURNAME: "SN",
    NameOID.GIVEN_NAME: "GN",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.EMAIL_ADDRESS: "E",
    NameOID.TITLE: "title",
    NameOID.BUSINESS_CATEGORY: "businessCategory",
}


@contextlib.contextmanager
def tolerant_names() -> Iterator[None]:
    """Silence cryptography's byte-length warning on name attributes, and nothing else.

    ``catch_warnings`` swaps the process-wide filter list, so another thread warning at the
    same instant may see this filter too; the only cost is a lost warning, never a wrong
    answer, which is acceptable for a diagnostic that is wrong about these names anyway.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"Attribute's length must be", category=UserWarning
        )
        yield


def subject_of(cert: x509.Certificate) -> x509.Name:
    with tolerant_names():
        return cert.subject


def issuer_of(item: x509.Certificate | x509.CertificateRevocationList) -> x509.Name:
    with tolerant_names():
        return item.issuer


def extensions_of(
    item: x509.Certificate | x509.CertificateRevocationList,
) -> x509.Extensions:
    """The extensions, which hold names too: the NCA's authority key identifiers repeat the
    issuing CA's name (authorityCertIssuer)."""
    with tolerant_names():
        return item.extensions


def extension_value(
    item: x509.Certificate | x509.CertificateRevocationList, kind: type[_Extension]
) -> _Extension | None:
    try:
        return extensions_of(item).get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def readable(name: x509.Name) -> str:
    """The name in certificate order (CN first for NCA certificates), letters intact.

    RFC 4514 strings list the RDNs backwards and spell surname and givenName as OIDs;
    this keeps RFC 4514 escaping per attribute but reads the way the NCA prints a name.
    """
    with tolerant_names():
        return ", ".join(rdn.rfc4514_string(attr_name_overrides=_SHORT_NAMES) for rdn in name.rdns)


def first_value(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    with tolerant_names():
        for attribute in name.get_attributes_for_oid(oid):
            if isinstance(attribute.value, str):
                return attribute.value
    return None


def all_values(name: x509.Name, oid: x509.ObjectIdentifier) -> tuple[str, ...]:
    with tolerant_names():
        return tuple(a.value for a in name.get_attributes_for_oid(oid) if isinstance(a.value, str))


def short(name: x509.Name) -> str:
    """The CommonName alone, for one-line messages; the whole name when there is none."""
    return first_value(name, NameOID.COMMON_NAME) or readable(name)
