"""What a demo PKI directory holds, as a frozen value, and its manifest.json on disk.

The manifest is the only index of the directory: ``load_demo_pki`` never guesses from
file names, so the layout can grow without breaking readers. It grew once: the GOST family
(``gost_*`` CA files and keys) beside the RSA one; a manifest written before loads with its
GOST fields None.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.serialization import pkcs12

from .errors import ManifestError, PkiError

if TYPE_CHECKING:
    from app.xmlsig.keys import SigningKey

MANIFEST_NAME = "manifest.json"
#: bump when a reader of the previous format would misread the new one
MANIFEST_FORMAT = 1


class KeyPurpose(enum.StrEnum):
    #: digitalSignature + nonRepudiation: signs documents
    SIGN = "sign"
    #: digitalSignature + keyEncipherment, clientAuth: logs in, must not sign documents
    AUTH = "auth"
    #: digitalSignature + nonRepudiation + keyAgreement: the NCA's GOST keys since 2022,
    #: one key that signs documents and logs in
    SIGN_AND_AUTH = "sign_and_auth"


class HolderKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    LEGAL_ENTITY = "legal_entity"


@dataclass(frozen=True)
class KeyEntry:
    """One PKCS#12 file and whom it belongs to, as written in its certificate."""

    role: str
    path: Path
    purpose: KeyPurpose
    holder_kind: HolderKind
    #: the certificate's CN: "SURNAME NAME" for people, the system's name for a system key
    common_name: str
    surname: str | None
    name: str | None
    #: NCA certificates keep the patronymic in givenName
    patronymic: str | None
    iin: str | None
    bin: str | None
    organization: str | None
    #: legal-entity roles from the extended key usage, e.g. ("first_head",)
    roles: tuple[str, ...]
    #: role of the CA certificate that issued this one, e.g. "citizen_ca"
    issuer: str
    #: hex, upper case, as the verifier's CertificateInfo prints it
    serial_number: str
    algorithm: str
    revoked: bool = False
    description: str = ""

    def to_json(self, *, directory: Path, password: str) -> dict[str, Any]:
        return {
            "role": self.role,
            "kind": "pkcs12",
            "path": self.path.relative_to(directory).as_posix(),
            "password": password,
            "description": self.description,
            "purpose": self.purpose.value,
            "issuer": self.issuer,
            "serial_number": self.serial_number,
            "algorithm": self.algorithm,
            "revoked": self.revoked,
            "holder": {
                "kind": self.holder_kind.value,
                "common_name": self.common_name,
                "surname": self.surname,
                "name": self.name,
                "patronymic": self.patronymic,
                "iin": self.iin,
                "bin": self.bin,
                "organization": self.organization,
                "roles": list(self.roles),
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, directory: Path) -> KeyEntry:
        holder = data["holder"]
        return cls(
            role=data["role"],
            path=directory / data["path"],
            purpose=KeyPurpose(data["purpose"]),
            holder_kind=HolderKind(holder["kind"]),
            common_name=holder["common_name"],
            surname=holder["surname"],
            name=holder["name"],
            patronymic=holder["patronymic"],
            iin=holder["iin"],
            bin=holder["bin"],
            organization=holder["organization"],
            roles=tuple(holder["roles"]),
            issuer=data["issuer"],
            serial_number=data["serial_number"],
            algorithm=data["algorithm"],
            revoked=data["revoked"],
            description=data.get("description", ""),
        )


#: CA certificates and CRLs by attribute of DemoPki: (kind, what it is)
CA_FILES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "citizen_root": (
            "certificate",
            "citizens' root CA (stands in for the NCA root): trust anchor",
        ),
        "citizen_ca": ("certificate", "citizens' issuing CA (stands in for НУЦ РК): intermediate"),
        "state_root": ("certificate", "state bodies' root CA: trust anchor"),
        "state_ca": ("certificate", "state bodies' issuing CA (stands in for УЦ ГО): intermediate"),
        "citizen_crl": ("crl", "CRL of the citizens' issuing CA; lists individual_revoked_sign"),
        "state_crl": ("crl", "CRL of the state bodies' issuing CA (empty)"),
        "citizen_root_crl": ("crl", "CRL of the citizens' root CA (empty)"),
        "state_root_crl": ("crl", "CRL of the state bodies' root CA (empty)"),
        "gost_citizen_root": ("certificate", "citizens' GOST root CA: trust anchor"),
        "gost_citizen_ca": ("certificate", "citizens' GOST issuing CA: intermediate"),
        "gost_state_root": ("certificate", "state bodies' GOST root CA: trust anchor"),
        "gost_state_ca": ("certificate", "state bodies' GOST issuing CA: intermediate"),
        "gost_citizen_crl": (
            "crl",
            "GOST-signed CRL of the citizens' GOST issuing CA; lists gost_individual_revoked_sign",
        ),
        "gost_state_crl": ("crl", "CRL of the state bodies' GOST issuing CA (empty)"),
        "gost_citizen_root_crl": ("crl", "CRL of the citizens' GOST root CA (empty)"),
        "gost_state_root_crl": ("crl", "CRL of the state bodies' GOST root CA (empty)"),
    }
)
#: the GOST family's files: absent from a manifest written before it existed
GOST_CA_FILES = tuple(name for name in CA_FILES if name.startswith("gost_"))


@dataclass(frozen=True)
class DemoPki:
    """Every file of a demo PKI directory by role, with the one password of its keys.

    The RSA family's files have plain names (``citizen_root``, ``keys["system_sign"]``),
    the GOST family's the prefix ``gost_`` (``gost_citizen_root``,
    ``keys["gost_system_sign"]``); the GOST fields are None when the directory has none.
    """

    directory: Path
    password: str
    citizen_root: Path
    citizen_ca: Path
    state_root: Path
    state_ca: Path
    citizen_crl: Path
    state_crl: Path
    citizen_root_crl: Path
    state_root_crl: Path
    #: PKCS#12 files by role: "individual_sign", "legal_head_auth", "gost_system_sign", ...
    keys: Mapping[str, KeyEntry] = field(default_factory=lambda: MappingProxyType({}))
    created: datetime | None = None
    gost_citizen_root: Path | None = None
    gost_citizen_ca: Path | None = None
    gost_state_root: Path | None = None
    gost_state_ca: Path | None = None
    gost_citizen_crl: Path | None = None
    gost_state_crl: Path | None = None
    gost_citizen_root_crl: Path | None = None
    gost_state_root_crl: Path | None = None

    def __post_init__(self) -> None:
        # read-only view, so a frozen DemoPki cannot be changed through its keys
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))

    @property
    def manifest(self) -> Path:
        return self.directory / MANIFEST_NAME

    @property
    def anchors(self) -> tuple[Path, ...]:
        """Both families' roots: what a verifier of the demo trusts."""
        return self._present(self.citizen_root, self.state_root, self.gost_citizen_root,
                             self.gost_state_root)

    @property
    def intermediates(self) -> tuple[Path, ...]:
        return self._present(self.citizen_ca, self.state_ca, self.gost_citizen_ca,
                             self.gost_state_ca)

    @property
    def crls(self) -> tuple[Path, ...]:
        return self._present(
            self.citizen_crl, self.state_crl, self.citizen_root_crl, self.state_root_crl,
            self.gost_citizen_crl, self.gost_state_crl, self.gost_citizen_root_crl,
            self.gost_state_root_crl,
        )

    def open_key(self, role: str) -> pkcs12.PKCS12KeyAndCertificates:
        """The key, certificate and chain of an RSA role, decrypted with the password.

        cryptography cannot open a GOST container: use ``signing_key`` for those."""
        entry = self.keys[role]
        if entry.algorithm.startswith("GOST"):
            raise PkiError(f"{role} is a GOST key, which cryptography cannot open: "
                           "use signing_key()")
        return pkcs12.load_pkcs12(entry.path.read_bytes(), self.password.encode("utf-8"))

    def signing_key(self, role: str) -> SigningKey:
        """The key of any role, RSA or GOST, as the verifier's loader reads it."""
        from app.xmlsig.keys import load_pkcs12

        return load_pkcs12(self.keys[role].path.read_bytes(), self.password)

    @staticmethod
    def _present(*paths: Path | None) -> tuple[Path, ...]:
        return tuple(p for p in paths if p is not None)


def _ca_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(DemoPki) if f.name in CA_FILES)


def write_manifest(pki: DemoPki, *, algorithm: str, gost_algorithm: str | None = None) -> Path:
    files: list[dict[str, Any]] = []
    for attribute in _ca_field_names():
        kind, description = CA_FILES[attribute]
        path: Path | None = getattr(pki, attribute)
        if path is None:
            continue
        files.append(
            {
                "role": attribute,
                "kind": kind,
                "path": path.relative_to(pki.directory).as_posix(),
                "description": description,
                "algorithm": gost_algorithm if attribute in GOST_CA_FILES else algorithm,
            }
        )
    files.extend(
        entry.to_json(directory=pki.directory, password=pki.password) for entry in pki.keys.values()
    )
    document = {
        "format": MANIFEST_FORMAT,
        "warning": "DEMO PKI: test keys with a published password; never trust in production",
        "created": pki.created.isoformat() if pki.created else None,
        "password": pki.password,
        "files": files,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    pki.manifest.write_text(text + "\n", encoding="utf-8")
    return pki.manifest


def load_demo_pki(directory: Path | str) -> DemoPki:
    """Read ``directory/manifest.json`` as written by ``init_demo_pki``.

    Raises ManifestError when the manifest is missing, unreadable, of another format or
    lacks one of the CA files.
    """
    directory = Path(directory)
    try:
        document = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(f"cannot read {directory / MANIFEST_NAME}: {exc}") from exc
    if document.get("format") != MANIFEST_FORMAT:
        raise ManifestError(
            f"{directory / MANIFEST_NAME}: format {document.get('format')!r}, "
            f"expected {MANIFEST_FORMAT}"
        )
    ca_paths: dict[str, Path] = {}
    keys: dict[str, KeyEntry] = {}
    try:
        for item in document["files"]:
            if item["kind"] == "pkcs12":
                entry = KeyEntry.from_json(item, directory=directory)
                keys[entry.role] = entry
            elif item["role"] in CA_FILES:
                ca_paths[item["role"]] = directory / item["path"]
        created = document.get("created")
        return DemoPki(
            directory=directory,
            password=document["password"],
            keys=keys,
            created=datetime.fromisoformat(created) if created else None,
            **{
                name: ca_paths[name]
                for name in _ca_field_names()
                if name in ca_paths or name not in GOST_CA_FILES
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"{directory / MANIFEST_NAME}: incomplete manifest ({exc})") from exc
