"""app.xmlsig.gost.curve: the three verifiers (OpenSSL's ECDSA, our arithmetic on gmpy2's
integers and on Python's) against each other and against gostcrypto (an independent
implementation), on random keys and messages, valid and broken signatures; the fallbacks
when OpenSSL 3 or gmpy2 is missing."""

from __future__ import annotations

import ctypes.util
import logging
import math
import random
import sys

import gostcrypto.gostsignature as gostcrypto_signature
import pytest

from app.xmlsig.gost import GostPrivateKey, GostPublicKey, _openssl, curve

#: what scripts/setup gives: OpenSSL 3 under hashlib, gmpy2 installed
VERIFIERS = ["openssl", "gmpy2", "python"]

_PARAM_SET_A = gostcrypto_signature.CURVES_R_1323565_1_024_2019[
    "id-tc26-gost-3410-12-512-paramSetA"
]
#: a fixed seed: the same "random" keys and messages every run, so a failure repeats
_RANDOM = random.Random(20261202)


def _scalar() -> int:
    return _RANDOM.randrange(1, curve.Q)


def _both(x: int, y: int, e: int, r: int, s: int) -> tuple[bool, ...]:
    """The verdict of each verifier (the name kept from when there were two)."""
    verdicts = []
    for name in VERIFIERS:
        with curve.verifying_with(name):
            assert curve.verifier_name() == name
            verdicts.append(curve.verify(x, y, e, r, s))
    return tuple(verdicts)


_YES, _NO = (True,) * len(VERIFIERS), (False,) * len(VERIFIERS)


def _broken(x: int, y: int, e: int, r: int, s: int, other: tuple[int, int], d: int):
    """Signatures that must fail: named, as (x, y, e, r, s); ``d`` is the key's scalar."""
    return {
        # s = r*d: s/e*G - r/e*Q is the point at infinity (OpenSSL answers -1, not 0)
        "u1*G + u2*Q at infinity": (x, y, e, r, r * d % curve.Q),
        "another message": (x, y, e + 1, r, s),
        "another key": (*other, e, r, s),
        "r and s swapped": (x, y, e, s, r),
        "r + 1": (x, y, e, (r + 1) % curve.Q, s),
        "s + 1": (x, y, e, r, (s + 1) % curve.Q),
        "r = 0": (x, y, e, 0, s),
        "s = 0": (x, y, e, r, 0),
        "r = q": (x, y, e, curve.Q, s),
        "s = q": (x, y, e, r, curve.Q),
        "r + q": (x, y, e, r + curve.Q, s),
        "s + q": (x, y, e, r, s + curve.Q),
        "negative r": (x, y, e, -r, s),
    }


def test_all_three_verifiers_work_on_a_machine_set_up_by_scripts_setup():
    assert curve.available_verifiers() == VERIFIERS
    assert curve.verifier_name() == "openssl"
    with curve.verifying_with("python"):
        assert curve.verifier_name() == "python"
    assert curve.verifier_name() == "openssl"
    with pytest.raises(ValueError, match="not available"):
        curve.verifying_with("fastecdsa").__enter__()


def test_the_curve_has_no_small_order_points():
    # Hasse: the curve has p + 1 - t points, |t| <= 2 sqrt(p). q lies in that interval and
    # 2q beyond it, so the curve has exactly q points: every point but infinity has order q
    bound = 2 * math.isqrt(curve.P) + 2
    assert curve.P + 1 - bound <= curve.Q <= curve.P + 1 + bound
    assert 2 * curve.Q > curve.P + 1 + bound
    assert curve.on_curve(curve.GX, curve.GY)
    for arithmetic in (curve.PYTHON, curve._verifiers()["gmpy2"].arithmetic):
        assert arithmetic.combination(curve.Q, 0, None) is None  # q*G is infinity
        assert arithmetic.combination(curve.Q - 1, 0, None) == (curve.GX, curve.P - curve.GY)


def test_both_arithmetics_compute_the_same_points():
    for _ in range(30):
        point = curve.multiply_base(_scalar())
        u1, u2 = _scalar(), _scalar()
        fast = curve._verifiers()["gmpy2"].arithmetic
        assert fast.combination(u1, u2, point) == curve.PYTHON.combination(u1, u2, point)
        assert fast.multiply_base(u1) == curve.PYTHON.multiply_base(u1)
    # small and edge scalars: no NAF digit at all for one of them, or a single one
    for u1, u2 in [(1, 0), (0, 1), (1, 1), (2, curve.Q - 1), (curve.Q - 1, curve.Q - 1)]:
        assert fast.combination(u1, u2, point) == curve.PYTHON.combination(u1, u2, point)


def test_random_keys_and_messages_verify_alike_and_fail_alike():
    keys = [curve.multiply_base(_scalar()) for _ in range(13)]
    for index in range(12):
        d = _scalar()
        x, y = curve.multiply_base(d)
        e = _RANDOM.getrandbits(512)
        r, s = curve.sign(d, e)

        assert _both(x, y, e, r, s) == _YES
        for name, case in _broken(x, y, e, r, s, keys[index], d).items():
            assert _both(*case) == _NO, name


def test_a_signature_aimed_at_infinity_fails_and_leaves_openssl_in_use():
    # key G (d = 1): r = s makes s/e*G - r/e*G the point at infinity, whatever e
    for e in (5, 2**511 + 3):
        assert _both(curve.GX, curve.GY, e, 7, 7) == _NO
    assert curve.verifier_name() == "openssl"
    assert curve.available_verifiers() == VERIFIERS


def test_a_hash_of_zero_modulo_q_is_taken_as_one():
    d = _scalar()
    x, y = curve.multiply_base(d)
    r, s = curve.sign(d, curve.Q)  # e = q: e mod q is 0, so the standard uses 1

    assert _both(x, y, curve.Q, r, s) == _YES
    assert _both(x, y, 1, r, s) == _YES
    assert _both(x, y, 2, r, s) == _NO


def test_a_key_off_the_curve_is_refused_before_any_arithmetic():
    d = _scalar()
    x, y = curve.multiply_base(d)
    e = _RANDOM.getrandbits(512)
    r, s = curve.sign(d, e)
    off = [(x, y + 1), (x, curve.P - y + 1), (x + curve.P, y), (0, 0), (x, y + curve.P), (-x, y)]

    for point in off:
        assert _both(*point, e, r, s) == _NO, point
        with pytest.raises(ValueError, match="not a point"):
            GostPublicKey(*point)


def _gostcrypto():
    return gostcrypto_signature.new(gostcrypto_signature.MODE_512, _PARAM_SET_A)


def _big_endian(value: int) -> bytearray:
    return bytearray(value.to_bytes(64, "big"))


#: the broken signatures gostcrypto checks too (64 bytes each, a second or less apiece)
_GOSTCRYPTO_CASES = ["another message", "another key", "r = 0", "s = 0", "r = q", "s = q"]


def test_gostcrypto_agrees_on_random_keys_valid_and_broken():
    # gostcrypto is pure Python and slow (about a second a signature): two keys, both ways
    other = curve.multiply_base(_scalar())
    for _ in range(2):
        key = GostPrivateKey(_scalar())
        x, y = key.public_key().x, key.public_key().y
        public = _big_endian(x) + _big_endian(y)
        e = _RANDOM.getrandbits(512) % curve.Q
        theirs = _gostcrypto().sign(_big_endian(key.d), _big_endian(e))
        r, s = int.from_bytes(theirs[:64], "big"), int.from_bytes(theirs[64:], "big")
        ours = curve.sign(key.d, e)

        assert _both(x, y, e, r, s) == _YES
        assert _gostcrypto().verify(public, _big_endian(e), _big_endian(ours[0]) + _big_endian(
            ours[1]))
        broken = _broken(x, y, e, r, s, other, key.d)
        for name in _GOSTCRYPTO_CASES:
            cx, cy, ce, cr, cs = broken[name]
            assert not _gostcrypto().verify(
                _big_endian(cx) + _big_endian(cy), _big_endian(ce),
                _big_endian(cr) + _big_endian(cs)), name
            assert _both(cx, cy, ce, cr, cs) == _NO, name


def _a_signature() -> tuple[int, int, int, int, int, int]:
    d = _scalar()
    x, y = curve.multiply_base(d)
    e = _RANDOM.getrandbits(512)
    return (d, x, y, e, *curve.sign(d, e))


@pytest.fixture
def found_again(monkeypatch):
    """The verifiers looked for again, under the test's conditions, and again after it."""
    curve._verifiers.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    curve._verifiers.cache_clear()
    assert curve.available_verifiers() == VERIFIERS


def test_without_openssl_3_verification_runs_on_gmpy2(found_again):
    d, x, y, e, r, s = _a_signature()
    # a library without OpenSSL 3's functions in place of hashlib's libcrypto
    found_again.setattr(_openssl, "LIBRARY", ctypes.util.find_library("c"))

    assert curve.available_verifiers() == ["gmpy2", "python"]
    assert curve.verify(x, y, e, r, s) and not curve.verify(x, y, e + 1, r, s)


def test_without_openssl_3_or_gmpy2_python_verifies_with_a_warning(found_again, caplog):
    d, x, y, e, r, s = _a_signature()
    found_again.setattr(_openssl, "LIBRARY", ctypes.util.find_library("c"))
    found_again.setitem(sys.modules, "gmpy2", None)  # as if not installed: import fails

    with caplog.at_level(logging.WARNING, logger=curve.__name__):
        assert curve.verifier_name() == "python"
    assert "verified on Python's integers" in caplog.text
    assert curve.verify(x, y, e, r, s) and not curve.verify(x, y, e + 1, r, s)
    assert GostPrivateKey(d).public_key().verify(GostPrivateKey(d).sign(b"x"), b"x")


def test_openssl_is_told_the_ecdsa_signature_in_der():
    # ECDSA-Sig-Value: INTEGERs with a leading zero byte when the top bit is set, the long
    # length form past 127 bytes
    assert _openssl._ecdsa_signature(1, 0x80) == bytes.fromhex("3007020101020200 80".replace(
        " ", ""))
    big = _openssl._ecdsa_signature(curve.Q - 1, curve.Q - 1)
    assert big[:3] == bytes.fromhex("308186") and big[3:6] == bytes.fromhex("024100")
    assert len(big) == 3 + 2 * (2 + 65)
