"""Shared fixtures: a demo PKI, the app on SQLite or PostgreSQL, clients and logins.

``QUJAT_TEST_DATABASE_URL`` selects the database (scripts/test runs the suite once on
SQLite and once on PostgreSQL). Tables are created and seeded (journals, senders, one user
per role) once per session, and that seed is committed. Each test then runs inside one
outer transaction on one connection that is rolled back at its end: the app's
``db.session.commit()`` only releases a SAVEPOINT, so every test starts from the same seed
(sequences included) without emptying a table.

A test whose commits must be real because another connection, thread or process reads
them (a second app, a live server, concurrent sessions) asks for ``committed_db``: it gets
today's behaviour, real commits, then every table emptied and the seed written again.
A rolled-back test that should have asked for it is told so: a session from another
thread, or two sessions in a transaction at once, on its connection raise, and rows left
behind once it is rolled back fail it (and the seed is written again).
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, text

from app import create_app
from app.auth.models import Role
from app.extensions import db
from qujat_demo.pki import DemoPki, init_demo_pki
from tests.xmlsig.certbuilder import FIXTURES as NCA_FIXTURES

# the NCA's test material, found as the xmlsig tests find it ($QUJAT_NCA_FIXTURES first)
FIXTURES = NCA_FIXTURES
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
        # the suite's documents arrive verified, with their delivery mark, on both
        # databases; tests/intake/test_queued.py switches to the queued intake
        "QUJAT_INTAKE_MODE": "synchronous",
    }


@pytest.fixture(scope="session")
def app(pki, database_url, tmp_path_factory):
    app = create_app(app_config(pki, database_url, tmp_path_factory.mktemp("blobs")))
    # a session bound to a connection already in a transaction commits to a SAVEPOINT
    # (and rolls back to it) instead of committing the test's transaction
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    event.listen(db.session.session_factory, "after_begin", _TestConnection.check)
    with app.app_context():
        db.drop_all()
        db.create_all()
        _seed()
        db.session.commit()
        app.extensions["qujat_test_seed"] = _Seed.take(db.engine)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["qujat_test_seed"].engine.dispose()


@pytest.fixture
def committed_db(app):
    """Real commits for a test that needs them seen by another connection, thread or
    process; every table is emptied and seeded again after it."""
    return app


@pytest.fixture(autouse=True)
def _database(request):
    """Roll back whatever a test that uses the app wrote, or (``committed_db``) empty
    the tables and seed again; either way the next test starts from the seed."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    seed: _Seed = app.extensions["qujat_test_seed"]
    if "committed_db" in request.fixturenames:
        yield
        with app.app_context():
            db.session.rollback()
            _reseed()
        return
    with app.app_context():
        engines = db.engines  # what Flask-SQLAlchemy's sessions bind to, for this app
    app_engine = engines[None]
    connection = seed.engine.connect()
    transaction = connection.begin()
    engines[None] = connection
    _TestConnection.open(connection)
    try:
        yield
    finally:
        _TestConnection.close()
        engines[None] = app_engine
        transaction.rollback()
        seed.restore_sequences(connection)
        connection.close()
        if (left := seed.changes()) is not None:
            with app.app_context():
                _reseed()
            pytest.fail(f"rows outlived the test's rollback ({left}): were they committed "
                        "on another connection? such a test needs the committed_db fixture")


class _TestConnection:
    """Refuses what one connection cannot stand in for: a session in another thread, or
    a second session in a transaction while another is (with real commits, neither would
    see the other's uncommitted writes; on one connection, each would)."""

    connection = None
    thread: int | None = None
    sessions: weakref.WeakSet = weakref.WeakSet()

    @classmethod
    def open(cls, connection) -> None:
        cls.connection, cls.thread = connection, threading.get_ident()
        cls.sessions = weakref.WeakSet()

    @classmethod
    def close(cls) -> None:
        cls.connection = cls.thread = None

    @classmethod
    def check(cls, session, transaction, connection) -> None:
        if connection is not cls.connection:
            return
        if threading.get_ident() != cls.thread:
            raise RuntimeError("a session in another thread joined the test's rolled-back "
                               "transaction; a test with threads needs committed_db")
        if any(s is not session and s.in_transaction() for s in cls.sessions):
            raise RuntimeError("two sessions in a transaction at once on the test's "
                               "connection would see each other's uncommitted writes: "
                               "end the first (commit, or leave its app context) before "
                               "the second begins, or give the test committed_db")
        cls.sessions.add(session)


class _Seed:
    """What the session's seed left in the database, and the engine the tests' rolled
    back transactions run on.

    That engine is the app's own on PostgreSQL. On SQLite it is a second one whose
    connections leave transactions to SQLAlchemy (pysqlite's own handling breaks
    SAVEPOINT): the SQLAlchemy documentation's recipe, kept off the app's engine so
    tests with real commits and concurrent sessions see the driver's usual behaviour.
    """

    def __init__(self, engine: Engine, counts: dict[str, int], sequences: str | None):
        self.engine = engine
        self.counts = counts
        self._sequences = sequences

    @classmethod
    def take(cls, app_engine: Engine) -> _Seed:
        if app_engine.dialect.name == "sqlite":
            engine = create_engine(app_engine.url)

            @event.listens_for(engine, "connect")
            def _no_pysqlite_transactions(dbapi_connection, connection_record):
                dbapi_connection.isolation_level = None

            @event.listens_for(engine, "begin")
            def _begin(connection):
                connection.exec_driver_sql("BEGIN")

            sequences = None
        else:
            engine = app_engine
            with engine.connect() as connection:
                sequences = _sequence_restore(connection)
        with engine.connect() as connection:
            counts = _row_counts(connection)
        return cls(engine, counts, sequences)

    def restore_sequences(self, connection) -> None:
        """PostgreSQL hands out ids outside transactions, so a rollback leaves its
        sequences moved on: set every one back to where the seed left it, so ids do not
        depend on which tests ran before."""
        if self._sequences:
            connection.exec_driver_sql(self._sequences)
            connection.commit()

    def changes(self) -> str | None:
        """None when every table holds as many rows as the seed left, else which do not."""
        with self.engine.connect() as connection:
            counts = _row_counts(connection)
        changed = [f"{t}: {self.counts[t]} -> {n}" for t, n in counts.items()
                   if n != self.counts[t]]
        return ", ".join(changed) or None


def _row_counts(connection) -> dict[str, int]:
    tables = [t.name for t in db.metadata.sorted_tables]
    row = connection.exec_driver_sql(
        "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)
    ).one()
    return dict(zip(tables, row, strict=True))


def _sequence_restore(connection) -> str | None:
    """One statement that puts every sequence of the schema back where it is now."""
    rows = connection.exec_driver_sql(
        "SELECT schemaname, sequencename, start_value, last_value FROM pg_sequences "
        "WHERE schemaname = current_schema()"
    ).all()
    calls = [
        f"setval('\"{schema}\".\"{name}\"', {last if last is not None else start}, "
        f"{'true' if last is not None else 'false'})"
        for schema, name, start, last in rows
    ]
    return "SELECT " + ", ".join(calls) if calls else None


def _reseed() -> None:
    _empty_tables()
    _seed()
    db.session.commit()


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
    from app.catalogues.service import seed_catalogues
    from app.documents.senders import add_sender
    from app.setup import seed_journals

    seed_journals()
    seed_catalogues()
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

    #: keys opened once per session, by container path: opening a PKCS#12 costs tens of
    #: milliseconds, and a SigningKey is immutable
    _opened: dict = {}

    def __init__(self, pki: DemoPki, client):
        self.pki = pki
        self.client = client
        self._seq = 0

    def key(self, role: str):
        from qujat_demo.portal.documents import load_key

        path = self.pki.keys[role].path
        if path not in self._opened:
            self._opened[path] = load_key(path, self.pki.password)
        return self._opened[path]

    def document(self, kind: str = "appeal", *, key: str, sender: str = "EGOV", **overrides):
        from qujat_demo.portal.documents import build

        overrides.setdefault("sender_system", sender)
        overrides.setdefault("sender_document_id", f"T-{sender}-{self._seq:05d}")
        return build(kind, seed=self._seq, signer=self.key(key), overrides=overrides)

    def signed(self, kind: str = "appeal", *, key: str | None = None, **overrides) -> bytes:
        """Signed by ``key``, or by whoever the sample's author is: the individual's key
        for a person, the first head's key for a company."""
        from qujat_demo.portal.documents import signed_bytes
        from qujat_demo.samples import sample_document

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
