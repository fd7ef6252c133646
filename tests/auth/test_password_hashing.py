"""Passwords are hashed with the configured werkzeug method: scrypt unless a deployment
chooses otherwise, and a cheap one only where TESTING is set (as in this suite)."""

from __future__ import annotations

import pytest

from app import models  # noqa: F401  (every mapper known before a User is built)
from app.auth.models import Role, User
from app.auth.service import authenticate, create_user, reset_password
from app.config import DEFAULTS, _check_password_hash_method
from app.errors import ConfigError
from app.timeutil import utcnow
from tests.conftest import PASSWORD


def test_the_product_hashes_with_scrypt_by_default():
    assert DEFAULTS["QUJAT_PASSWORD_HASH_METHOD"] == "scrypt"
    user = User(login="x", full_name="X")
    user.set_password(PASSWORD)
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(PASSWORD) and not user.check_password("wrong-horse-42")


def test_users_get_the_configured_method(app, db_session):
    method = app.config["QUJAT_PASSWORD_HASH_METHOD"]
    assert method == "pbkdf2:sha256:1"  # the suite's cheap one
    user = create_user(login="hashed", full_name="Hashed", password=PASSWORD,
                       roles=[Role.CLERK])
    assert user.password_hash.startswith(f"{method}$")
    assert authenticate("hashed", PASSWORD) is user
    assert authenticate("hashed", "wrong-horse-42") is None
    reset_password(user, "another-horse-43", now=utcnow())
    assert user.password_hash.startswith(f"{method}$")
    assert authenticate("hashed", "another-horse-43") is user


@pytest.mark.parametrize("method", ["scrypt", "scrypt:32768:8:1", "pbkdf2",
                                    "pbkdf2:sha256", "pbkdf2:sha256:1000000"])
def test_strong_methods_are_accepted_anywhere(method):
    _check_password_hash_method(method, testing=False)


@pytest.mark.parametrize("method", ["pbkdf2:sha256:1", "scrypt:1024:8:1"])
def test_a_cheap_method_is_refused_outside_tests(method):
    _check_password_hash_method(method, testing=True)
    with pytest.raises(ConfigError, match="too cheap"):
        _check_password_hash_method(method, testing=False)


@pytest.mark.parametrize("method", ["md5", "plain", "pbkdf2:sha256:many", ""])
def test_an_unknown_method_is_named(method):
    with pytest.raises(ConfigError, match="QUJAT_PASSWORD_HASH_METHOD"):
        _check_password_hash_method(method, testing=True)
