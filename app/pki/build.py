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
from .algorithms import RSA_2048, KeyAlgorithm
from .errors import DirectoryNotEmpty
from .issue import Issuer, Revocation, Validity
from .manifest import MANIFEST_NAME, DemoPki, KeyEntry, write_manifest

#: what init writes, and so all that --force may remove
_SUBDIRECTORIES = ("ca", "crl", "keys")


@dataclass(frozen=True)
class _Chain:
    root: Issuer
    issuing: Issuer


def _issue_chain(ca: str, *, algorithm: KeyAlgorithm, start: datetime) -> _Chain:
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
        certificate_url=f"{layout.BASE_URL}/cert/{ca}_root.cer",
        crl_url=f"{layout.BASE_URL}/crl/{ca}_root.crl",
    )
    issuing_key = algorithm.generate_key()
    issuing = Issuer(
        certificate=issue.issue_intermediate_ca(
            subject=issuing_subject,
            public_key=issuing_key.public_key(),
            issuer=root,
            validity=Validity.starting(start, days=layout.CA_DAYS["issuing"]),
            policies=[issuing_policy],
        ),
        key=issuing_key,
        algorithm=algorithm,
        certificate_url=f"{layout.BASE_URL}/cert/{ca}_ca.cer",
        crl_url=f"{layout.BASE_URL}/crl/{ca}_ca.crl",
    )
    return _Chain(root=root, issuing=issuing)


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
    now: datetime | None = None,
) -> DemoPki:
    """Issue the demo hierarchy into ``directory`` and return what was written.

    Everything is issued in memory first and written last, so a failure leaves no half
    hierarchy. Raises DirectoryNotEmpty when ``directory`` holds files and not ``force``;
    with ``force`` only ca/, crl/, keys/ and manifest.json are replaced.
    """
    directory = Path(directory)
    if not password:
        raise ValueError("the PKCS#12 password must not be empty")
    _check_target(directory, force=force)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    # a day back, so a verifier whose clock lags ours still sees valid certificates
    start = now - timedelta(days=1)
    chains = {ca: _issue_chain(ca, algorithm=algorithm, start=start) for ca in ("citizen", "state")}

    files: dict[Path, bytes] = {}
    entries: dict[str, KeyEntry] = {}
    revocations: list[Revocation] = []
    for spec in layout.KEYS:
        chain = chains[spec.ca]
        key = algorithm.generate_key()
        cert = issue.issue_end_entity(
            subject=layout.holder_subject(
                person=spec.person, organization=spec.organization, system_name=spec.system_name
            ),
            public_key=key.public_key(),
            issuer=chain.issuing,
            validity=Validity.starting(start, days=layout.LEAF_DAYS),
            usage=layout.key_usage(spec),
            extended_usage=layout.extended_usage(spec),
            policies=[layout.leaf_policy(spec)],
        )
        if spec.revoked:
            revocations.append(Revocation(cert.serial_number, revoked_at=now - timedelta(hours=2)))
        path = directory / "keys" / f"{spec.role}.p12"
        files[path] = issue.pkcs12_container(
            key=key,
            certificate=cert,
            chain=[chain.issuing.certificate, chain.root.certificate],
            password=password,
        )
        entries[spec.role] = _entry(spec, path=path, cert=cert, algorithm=algorithm)

    def crl(issuer: Issuer, revoked: Sequence[Revocation] = ()) -> bytes:
        return issue.issue_crl(
            issuer=issuer,
            number=1,
            this_update=now - timedelta(hours=1),
            next_update=now + timedelta(days=layout.CRL_DAYS),
            revoked=revoked,
        ).public_bytes(Encoding.DER)

    def pem(issuer: Issuer) -> bytes:
        return issuer.certificate.public_bytes(Encoding.PEM)

    citizen, state = chains["citizen"], chains["state"]
    pki = DemoPki(
        directory=directory,
        password=password,
        citizen_root=directory / "ca" / "citizen_root.pem",
        citizen_ca=directory / "ca" / "citizen_ca.pem",
        state_root=directory / "ca" / "state_root.pem",
        state_ca=directory / "ca" / "state_ca.pem",
        citizen_crl=directory / "crl" / "citizen_ca.crl",
        state_crl=directory / "crl" / "state_ca.crl",
        citizen_root_crl=directory / "crl" / "citizen_root.crl",
        state_root_crl=directory / "crl" / "state_root.crl",
        keys=entries,
        created=now,
    )
    files |= {
        pki.citizen_root: pem(citizen.root),
        pki.citizen_ca: pem(citizen.issuing),
        pki.state_root: pem(state.root),
        pki.state_ca: pem(state.issuing),
        pki.citizen_crl: crl(citizen.issuing, revocations),
        pki.state_crl: crl(state.issuing),
        pki.citizen_root_crl: crl(citizen.root),
        pki.state_root_crl: crl(state.root),
    }

    _clear(directory)
    for path, data in files.items():
        path.write_bytes(data)
    write_manifest(pki, algorithm=algorithm.label)
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
