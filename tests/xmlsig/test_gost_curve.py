"""app.xmlsig.gost.curve: verification on gmpy2's integers against the same code on
Python's and against gostcrypto (an independent implementation), on random keys and
messages, valid and broken signatures; the fallback when gmpy2 is missing."""

from __future__ import annotations

import logging
import math
import random
import sys

import gostcrypto.gostsignature as gostcrypto_signature
import pytest

from app.xmlsig.gost import GostPrivateKey, GostPublicKey, curve

_PARAM_SET_A = gostcrypto_signature.CURVES_R_1323565_1_024_2019[
    "id-tc26-gost-3410-12-512-paramSetA"
]
#: a fixed seed: the same "random" keys and messages every run, so a failure repeats
_RANDOM = random.Random(20261202)


def _scalar() -> int:
    return _RANDOM.randrange(1, curve.Q)


def _both(x: int, y: int, e: int, r: int, s: int) -> tuple[bool, bool]:
    """The verdict with gmpy2 and the verdict on Python's integers."""
    accelerated = curve.verify(x, y, e, r, s)
    with curve.python_only():
        assert not curve.accelerated()
        pure = curve.verify(x, y, e, r, s)
    return accelerated, pure


def _broken(x: int, y: int, e: int, r: int, s: int, other: tuple[int, int]):
    """Signatures that must fail: named, as (x, y, e, r, s)."""
    return {
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


def test_verification_runs_on_gmpy2_on_a_machine_set_up_by_scripts_setup():
    assert curve.accelerated()
    with curve.python_only():
        assert not curve.accelerated()
    assert curve.accelerated()


def test_the_curve_has_no_small_order_points():
    # Hasse: the curve has p + 1 - t points, |t| <= 2 sqrt(p). q lies in that interval and
    # 2q beyond it, so the curve has exactly q points: every point but infinity has order q
    bound = 2 * math.isqrt(curve.P) + 2
    assert curve.P + 1 - bound <= curve.Q <= curve.P + 1 + bound
    assert 2 * curve.Q > curve.P + 1 + bound
    assert curve.on_curve(curve.GX, curve.GY)
    for arithmetic in (curve.PYTHON, curve._accelerated()):
        assert arithmetic is not None
        assert arithmetic.combination(curve.Q, 0, None) is None  # q*G is infinity
        assert arithmetic.combination(curve.Q - 1, 0, None) == (curve.GX, curve.P - curve.GY)


def test_both_arithmetics_compute_the_same_points():
    for _ in range(30):
        point = curve.multiply_base(_scalar())
        u1, u2 = _scalar(), _scalar()
        fast = curve._accelerated()
        assert fast is not None
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

        assert _both(x, y, e, r, s) == (True, True)
        for name, case in _broken(x, y, e, r, s, keys[index]).items():
            assert _both(*case) == (False, False), name


def test_a_hash_of_zero_modulo_q_is_taken_as_one():
    d = _scalar()
    x, y = curve.multiply_base(d)
    r, s = curve.sign(d, curve.Q)  # e = q: e mod q is 0, so the standard uses 1

    assert _both(x, y, curve.Q, r, s) == (True, True)
    assert _both(x, y, 1, r, s) == (True, True)
    assert _both(x, y, 2, r, s) == (False, False)


def test_a_key_off_the_curve_is_refused_before_any_arithmetic():
    d = _scalar()
    x, y = curve.multiply_base(d)
    e = _RANDOM.getrandbits(512)
    r, s = curve.sign(d, e)
    off = [(x, y + 1), (x, curve.P - y + 1), (x + curve.P, y), (0, 0), (x, y + curve.P), (-x, y)]

    for point in off:
        assert _both(*point, e, r, s) == (False, False), point
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

        assert _both(x, y, e, r, s) == (True, True)
        assert _gostcrypto().verify(public, _big_endian(e), _big_endian(ours[0]) + _big_endian(
            ours[1]))
        broken = _broken(x, y, e, r, s, other)
        for name in _GOSTCRYPTO_CASES:
            cx, cy, ce, cr, cs = broken[name]
            assert not _gostcrypto().verify(
                _big_endian(cx) + _big_endian(cy), _big_endian(ce),
                _big_endian(cr) + _big_endian(cs)), name
            assert _both(cx, cy, ce, cr, cs) == (False, False), name


def test_without_gmpy2_verification_falls_back_to_python_with_a_warning(monkeypatch, caplog):
    d = _scalar()
    x, y = curve.multiply_base(d)
    e = _RANDOM.getrandbits(512)
    r, s = curve.sign(d, e)
    monkeypatch.setitem(sys.modules, "gmpy2", None)  # as if not installed: import fails
    curve._accelerated.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=curve.__name__):
            assert not curve.accelerated()
        assert "gmpy2 is not installed" in caplog.text
        assert curve.verify(x, y, e, r, s)
        assert not curve.verify(x, y, e + 1, r, s)
        assert GostPrivateKey(d).public_key().verify(GostPrivateKey(d).sign(b"x"), b"x")
    finally:
        monkeypatch.undo()
        curve._accelerated.cache_clear()
    assert curve.accelerated()
