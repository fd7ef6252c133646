"""Behind a reverse proxy every request comes from the proxy's address: the client's is
read from X-Forwarded-For through exactly as many proxies as ``qujat_trusted_proxies``
says, and not at all when it says 0 (a client could write anything there)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.models import LoginSession
from app.errors import ConfigError
from app.extensions import db
from app.status.models import StatusLookup
from tests.conftest import PASSWORD, app_config, csrf_token

STATUS = "/api/v1/status?number=X-1&iin=850314301283"
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def make_app(pki, database_url, tmp_path):
    made = []

    def make(**overrides):
        config = app_config(pki, database_url, tmp_path) | {"QUJAT_STATUS_LOOKUPS": 3}
        built = create_app(config | overrides)
        made.append(built)
        return built

    yield make
    for built in made:
        with built.app_context():
            db.engine.dispose()


def _addresses(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(StatusLookup.address).order_by(StatusLookup.id)))


def test_with_no_trusted_proxy_a_forged_forwarded_for_changes_nothing(committed_db, make_app):
    app = make_app()
    client = app.test_client()
    for n in range(3):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert client.get(STATUS, headers=forged, environ_overrides=PROXY).status_code == 404
    # a fourth "client" is still the proxy's address, which has used its three
    refused = client.get(STATUS, headers={"X-Forwarded-For": "203.0.113.99"},
                         environ_overrides=PROXY)
    assert refused.status_code == 429
    assert set(_addresses(app)) == {"127.0.0.1"}


def test_behind_one_proxy_the_client_address_comes_from_it(committed_db, make_app):
    app = make_app(QUJAT_TRUSTED_PROXIES=1)
    client = app.test_client()

    def ask(forwarded: str) -> int:
        return client.get(STATUS, headers={"X-Forwarded-For": forwarded},
                          environ_overrides=PROXY).status_code

    # nginx appends the address it saw to what the client sent: only the last one counts
    assert [ask(f"10.9.9.{n}, 198.51.100.7") for n in range(3)] == [404, 404, 404]
    assert ask("10.9.9.3, 198.51.100.7") == 429
    # another client behind the same proxy has its own count
    assert ask("198.51.100.8") == 404
    assert set(_addresses(app)) == {"198.51.100.7", "198.51.100.8"}


def test_behind_one_proxy_a_login_records_the_client_address(committed_db, make_app):
    app = make_app(QUJAT_TRUSTED_PROXIES="1")  # as the environment gives it
    client = app.test_client()
    forwarded = {"X-Forwarded-For": "198.51.100.20", "X-Forwarded-Proto": "https"}
    page = client.get("/login", headers=forwarded, environ_overrides=PROXY)
    # the request is HTTPS as the proxy says: the CSRF check wants the page it came from
    answer = client.post("/login", environ_overrides=PROXY,
                         headers=forwarded | {"Referer": "https://localhost/login"},
                         data={"csrf_token": csrf_token(page.text), "login": "clerk",
                               "password": PASSWORD})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(LoginSession.address)).all() == ["198.51.100.20"]


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_wrong_number_of_proxies_is_refused_at_start(pki, database_url, tmp_path, value):
    config = app_config(pki, database_url, tmp_path) | {"QUJAT_TRUSTED_PROXIES": value}
    with pytest.raises(ConfigError, match="QUJAT_TRUSTED_PROXIES"):
        create_app(config)
