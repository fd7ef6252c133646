"""Shared fixtures: a demo PKI, the app on SQLite or PostgreSQL, clients and logins.

``QUJAT_TEST_DATABASE_URL`` selects the database (scripts/test runs the suite once on
SQLite and once on PostgreSQL). Tables are created once per session and emptied after
every test, so each test starts from the same clean, seeded state.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.auth.models import Role
from app.extensions import db
from app.pki import DemoPki, init_demo_pki

# the NCA's published test material: $QUJAT_NCA_FIXTURES (a git worktree has no shared copy
# beside it), else the shared copy beside the repository (as tests/xmlsig/certbuilder.py)
FIXTURES = Path(os.environ.get("QUJAT_NCA_FIXTURES")
                or Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "kz-nca")
DATA = Path(__file__).resolve().parent / "data"

PASSWORD = "correct-horse-42"
SENDER_TOKENS = {"EGOV": "egov-test-token", "ELICENSE": "elicense-test-token"}


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> DemoPki:
    return init_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("QUJAT_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'qujat.db'}"
    )


def app_config(pki: DemoPki, database_url: str, blob_dir: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUJAT_BLOB_DIR": str(blob_dir),
        # both families, as the NCA issues both
        "QUJAT_TRUST_ANCHORS": [str(pki.citizen_root), str(pki.gost_citizen_root)],
        "QUJAT_INTERMEDIATES": [str(pki.citizen_ca), str(pki.gost_citizen_ca)],
        "QUJAT_CRLS": [str(pki.citizen_crl), str(pki.citizen_root_crl),
                       str(pki.gost_citizen_crl), str(pki.gost_citizen_root_crl)],
        "QUJAT_OFFICIAL_ANCHORS": [str(pki.state_root), str(pki.gost_state_root)],
        "QUJAT_OFFICIAL_INTERMEDIATES": [str(pki.state_ca), str(pki.gost_state_ca)],
        "QUJAT_OFFICIAL_CRLS": [str(pki.state_crl), str(pki.state_root_crl),
                                str(pki.gost_state_crl), str(pki.gost_state_root_crl)],
        "QUJAT_SYSTEM_KEY": str(pki.keys["system_sign"].path),
        "QUJAT_SYSTEM_KEY_PASSWORD": pki.password,
        # one round of pbkdf2: logins cost nothing (the product's default is scrypt)
        "QUJAT_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }


@pytest.fixture(scope="session")
def app(pki, database_url, tmp_path_factory):
    app = create_app(app_config(pki, database_url, tmp_path_factory.mktemp("blobs")))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after a test that used the app, then seed what every test needs."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _seed()
        db.session.commit()
    yield
    with app.app_context():
        db.session.rollback()
        _empty_tables()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def _seed() -> None:
    from app.auth.service import create_user
    from app.intake.senders import add_sender
    from app.setup import seed_journals

    seed_journals()
    for code, token in SENDER_TOKENS.items():
        add_sender(code=code, name=f"{code} portal", token=token)
    for role in Role:
        create_user(login=role.value, full_name=f"Test {role.value}", password=PASSWORD,
                    roles=[role])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app):
    with app.app_context():
        yield db.session


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page carries no CSRF token"
    return match.group(1) or match.group(2)


def form_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', html)
    assert match, f"the page has no field {name}"
    return match.group(1) if match.group(1) is not None else match.group(2)


@pytest.fixture
def login(client):
    """Log in as the user holding ``role``; returns the client."""

    def do_login(role: str = "clerk"):
        page = client.get("/login")
        response = client.post("/login", data={
            "login": role, "password": PASSWORD, "csrf_token": csrf_token(page.text),
        })
        assert response.status_code == 302, response.text
        return client

    return do_login


class Portal:
    """The portal simulator, pointed at the test client: builds, signs and posts."""

    def __init__(self, pki: DemoPki, client):
        self.pki = pki
        self.client = client
        self._keys: dict = {}
        self._seq = 0

    def key(self, role: str):
        from app.portal.documents import load_key

        if role not in self._keys:
            self._keys[role] = load_key(self.pki.keys[role].path, self.pki.password)
        return self._keys[role]

    def document(self, kind: str = "appeal", *, key: str, sender: str = "EGOV", **overrides):
        from app.portal.documents import build

        overrides.setdefault("sender_system", sender)
        overrides.setdefault("sender_document_id", f"T-{sender}-{self._seq:05d}")
        return build(kind, seed=self._seq, signer=self.key(key), overrides=overrides)

    def signed(self, kind: str = "appeal", *, key: str | None = None, **overrides) -> bytes:
        """Signed by ``key``, or by whoever the sample's author is: the individual's key
        for a person, the first head's key for a company."""
        from app.formats.samples import sample_document
        from app.portal.documents import signed_bytes

        self._seq += 1
        if key is None:
            legal = sample_document(kind, seed=self._seq).author.bin is not None
            key = "legal_head_sign" if legal else "individual_sign"
        return signed_bytes(self.document(kind, key=key, **overrides), self.key(key))

    def post(self, xml: bytes, *, sender: str = "EGOV", content_type: str = "application/xml",
             token: str | None = None):
        headers = {"Authorization": f"Bearer {token or SENDER_TOKENS[sender]}"}
        return self.client.post("/api/v1/documents", data=xml, headers=headers,
                                content_type=content_type)

    def send(self, kind: str = "appeal", *, key: str | None = None, sender: str = "EGOV",
             **overrides):
        return self.post(self.signed(kind, key=key, sender=sender, **overrides), sender=sender)


@pytest.fixture
def portal(pki, client) -> Portal:
    return Portal(pki, client)
