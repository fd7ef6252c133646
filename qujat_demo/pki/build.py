"""Issuing the demo layout (hierarchy.py) and writing it to a directory."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from . import hierarchy as layout
from . import issue
from .algorithms import GOST_2015_512, RSA_2048, KeyAlgorithm, PrivateKey
from .errors import DirectoryNotEmpty
from .issue import Issuer, Revocation, Validity
from .manifest import MANIFEST_NAME, DemoPki, KeyEntry, write_manifest

PEM, DER = Encoding.PEM, Encoding.DER
#: what init writes, and so all that --force may remove
_SUBDIRECTORIES = ("ca", "crl", "keys")


@dataclass(frozen=True)
class _Chain:
    root: Issuer
    issuing: Issuer


def _issue_chain(
    ca: str, *, algorithm: KeyAlgorithm, start: datetime, prefix: str = ""
) -> _Chain:
    root_subject, issuing_subject = layout.ca_subjects(ca, family=algorithm.family)
    root_policy, issuing_policy = layout.CA_POLICIES[ca]
    root_key = algorithm.generate_key()
    root = Issuer(
        certificate=issue.issue_root_ca(
            subject=root_subject,
            key=root_key,
            algorithm=algorithm,
            validity=Validity.starting(start, days=layout.CA_DAYS["root"]),
            policies=[root_policy],
        ),
        key=root_key,
        algorithm=algorithm,
        certificate_url=f"{layout.BASE_URL}/cert/{prefix}{ca}_root.cer",
        crl_url=f"{layout.BASE_URL}/crl/{prefix}{ca}_root.crl",
    )
    issuing_key = algorithm.generate_key()
    issuing = Issuer(
        certificate=issue.issue_intermediate_ca(
            subject=issuing_subject,
            public_key=algorithm.public_key_info(issuing_key),
            issuer=root,
            validity=Validity.starting(start, days=layout.CA_DAYS["issuing"]),
            policies=[issuing_policy],
        ),
        key=issuing_key,
        algorithm=algorithm,
        certificate_url=f"{layout.BASE_URL}/cert/{prefix}{ca}_ca.cer",
        crl_url=f"{layout.BASE_URL}/crl/{prefix}{ca}_ca.crl",
    )
    return _Chain(root=root, issuing=issuing)


@dataclass
class _Family:
    """One family issued in memory: its files by path, its keys, its CA files by field."""

    files: dict[Path, bytes]
    entries: dict[str, KeyEntry]
    ca_files: dict[str, Path]


def _issue_family(
    directory: Path,
    *,
    algorithm: KeyAlgorithm,
    specs: Sequence[layout.KeySpec],
    prefix: str,
    password: str,
    now: datetime,
) -> _Family:
    """Both chains of one key family, its holders' keys and its four CRLs. ``prefix`` goes
    before every CA file, DemoPki field and URL ("" for RSA, "gost_" for GOST)."""
    # a day back, so a verifier whose clock lags ours still sees valid certificates
    start = now - timedelta(days=1)
    chains = {
        ca: _issue_chain(ca, algorithm=algorithm, start=start, prefix=prefix)
        for ca in ("citizen", "state")
    }
    family = _Family(files={}, entries={}, ca_files={})
    revocations: list[Revocation] = []
    for spec in specs:
        chain = chains[spec.ca]
        key: PrivateKey = algorithm.generate_key()
        cert = issue.issue_end_entity(
            subject=layout.holder_subject(
                person=spec.person, organization=spec.organization, system_name=spec.system_name
            ),
            public_key=algorithm.public_key_info(key),
            issuer=chain.issuing,
            validity=Validity.starting(start, days=layout.LEAF_DAYS),
            usage=layout.key_usage(spec),
            extended_usage=layout.extended_usage(spec),
            policies=[layout.leaf_policy(spec)],
        )
        if spec.revoked:
            revocations.append(Revocation(cert.serial_number, revoked_at=now - timedelta(hours=2)))
        path = directory / "keys" / f"{spec.role}.p12"
        family.files[path] = issue.pkcs12_container(
            key=key,
            algorithm=algorithm,
            certificate=cert,
            chain=[chain.issuing.certificate, chain.root.certificate],
            password=password,
        )
        family.entries[spec.role] = _entry(spec, path=path, cert=cert, algorithm=algorithm)

    def crl(issuer: Issuer, revoked: Sequence[Revocation] = ()) -> bytes:
        return issue.issue_crl(
            issuer=issuer,
            number=1,
            this_update=now - timedelta(hours=1),
            next_update=now + timedelta(days=layout.CRL_DAYS),
            revoked=revoked,
        ).public_bytes(DER)

    # DemoPki field -> (directory, file name, contents): citizen_root -> ca/citizen_root.pem,
    # citizen_crl -> crl/citizen_ca.crl, citizen_root_crl -> crl/citizen_root.crl, ...
    for ca, chain in chains.items():
        listed = revocations if ca == "citizen" else ()
        for field, folder, name, data in (
            (f"{ca}_root", "ca", f"{ca}_root.pem", chain.root.certificate.public_bytes(PEM)),
            (f"{ca}_ca", "ca", f"{ca}_ca.pem", chain.issuing.certificate.public_bytes(PEM)),
            (f"{ca}_crl", "crl", f"{ca}_ca.crl", crl(chain.issuing, listed)),
            (f"{ca}_root_crl", "crl", f"{ca}_root.crl", crl(chain.root)),
        ):
            path = directory / folder / f"{prefix}{name}"
            family.ca_files[f"{prefix}{field}"] = path
            family.files[path] = data
    return family


def _check_target(directory: Path, *, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise DirectoryNotEmpty(f"{directory} exists and is not a directory")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise DirectoryNotEmpty(f"{directory} is not empty; use --force to replace a demo PKI")


def _clear(directory: Path) -> None:
    # Only what init writes goes: DIR may be "." or a home directory with other files.
    for name in (*_SUBDIRECTORIES, MANIFEST_NAME):
        target = directory / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    for name in _SUBDIRECTORIES:
        (directory / name).mkdir(parents=True)


def init_demo_pki(
    directory: Path | str,
    *,
    password: str = layout.DEFAULT_PASSWORD,
    force: bool = False,
    algorithm: KeyAlgorithm = RSA_2048,
    gost: KeyAlgorithm | None = GOST_2015_512,
    now: datetime | None = None,
) -> DemoPki:
    """Issue the demo hierarchy into ``directory`` and return what was written: the RSA
    family (``algorithm``) and, unless ``gost`` is None, the GOST family beside it.

    Everything is issued in memory first and written last, so a failure leaves no half
    hierarchy. Raises DirectoryNotEmpty when ``directory`` holds files and not ``force``;
    with ``force`` only ca/, crl/, keys/ and manifest.json are replaced.
    """
    directory = Path(directory)
    if not password:
        raise ValueError("the PKCS#12 password must not be empty")
    _check_target(directory, force=force)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    families = [
        _issue_family(directory, algorithm=algorithm, specs=layout.KEYS, prefix="",
                      password=password, now=now)
    ]
    if gost is not None:
        families.append(
            _issue_family(directory, algorithm=gost, specs=layout.GOST_KEYS, prefix="gost_",
                          password=password, now=now)
        )
    files: dict[Path, bytes] = {}
    entries: dict[str, KeyEntry] = {}
    ca_files: dict[str, Path] = {}
    for family in families:
        files |= family.files
        entries |= family.entries
        ca_files |= family.ca_files
    pki = DemoPki(directory=directory, password=password, keys=entries, created=now, **ca_files)

    _clear(directory)
    for path, data in files.items():
        path.write_bytes(data)
    write_manifest(pki, algorithm=algorithm.label, gost_algorithm=gost.label if gost else None)
    return pki


def _entry(
    spec: layout.KeySpec, *, path: Path, cert: x509.Certificate, algorithm: KeyAlgorithm
) -> KeyEntry:
    person, organization = spec.person, spec.organization
    return KeyEntry(
        role=spec.role,
        path=path,
        purpose=spec.purpose,
        holder_kind=spec.holder_kind,
        common_name=f"{person.surname} {person.name}" if person else spec.system_name or "",
        surname=person.surname if person else None,
        name=person.name if person else None,
        patronymic=person.patronymic if person else None,
        iin=person.iin if person else None,
        bin=organization.bin if organization else None,
        organization=organization.name if organization else None,
        roles=spec.legal_roles,
        issuer=f"{spec.ca}_ca",
        serial_number=f"{cert.serial_number:X}",
        algorithm=algorithm.label,
        revoked=spec.revoked,
        description=spec.description,
    )
