"""GOST R 34.10-2012 arithmetic on id-tc26-gost-3410-12-512-paramSetA.

Kazakhstan's GOST 34.10-2015 (512 bit) is this standard on this curve (p = 2^512 - 569,
a = -3, prime order, cofactor 1: every point of the curve but infinity has order q, so a
key that passes ``on_curve`` has no small order to fear). The functions here work on
integers; the byte order of keys, hashes and signatures (little-endian everywhere, NCA
style) lives in ``keys``.

Verification runs the field arithmetic on gmpy2's integers (GMP, in C) when gmpy2 is
installed, as ``pyproject.toml`` asks, and on Python's own otherwise; both run the same
code below, and the tests check one against the other and against gostcrypto. Measured
(medians, a loaded 2-core machine, bench/intake.py): u1*G + u2*Q takes 6.3-6.7 ms on
Python's integers, 1.7 ms on gmpy2's. What else was weighed:

- OpenSSL's EVP: Debian's ``gostprov`` provider brings the Streebog digests only, no
  signature or key management; the GOST signatures are behind the deprecated ENGINE API,
  and the generic EC_POINT calls are deprecated too.
- fastecdsa 4 (now Rust, not C over GMP) takes the curve as a custom one but multiplies
  with its own generic big integers: 3.3 ms for u1*G alone, 6.7 ms for u1*G + u2*Q, no
  faster than Python's integers.

How: Jacobian coordinates with the a = -3 doubling (3M + 5S), mixed Jacobian-affine
additions, and Shamir's trick: u1*G + u2*Q share one chain of 512 doublings, each scalar
in width-w NAF, G's odd multiples (w = 8) computed once per process, Q's (w = 5) per
verification with one shared inversion. Verification handles public data only, so it need
not be constant-time. Signing (``k*G`` with a secret ``k``) and deriving a public key from
its private one stay on Python's integers, exactly as before: they are not constant-time
either (acceptable for an office key on its own server, not for a multi-tenant signing
service), and gmpy2 would not make them so; they happen once per mark or letter, not once
per document received.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import secrets
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger(__name__)

P = 2**512 - 569
A = P - 3
B = 0xE8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760  # noqa: E501
Q = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275  # noqa: E501
GX = 3
GY = 0x7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4  # noqa: E501

_G_WINDOW = 8
_Q_WINDOW = 5

# Coordinates are Python ints or gmpy2 mpz, whichever the Arithmetic was built on
Jacobian = tuple[Any, Any, Any]
Affine = tuple[Any, Any]


def on_curve(x: int, y: int) -> bool:
    return 0 <= x < P and 0 <= y < P and (y * y - x * x * x - A * x - B) % P == 0


def verify(x: int, y: int, e: int, r: int, s: int) -> bool:
    """GOST R 34.10-2012, 6.2: does (r, s) sign the hash ``e`` under the key (x, y)?
    A key off the curve is refused here too, before any arithmetic (``GostPublicKey``
    already refuses to exist off it)."""
    if not on_curve(x, y):
        return False
    return _verifying().verify(x, y, e, r, s)


def sign(d: int, e: int) -> tuple[int, int]:
    """GOST R 34.10-2012, 6.1, with a fresh nonce from ``secrets`` for every signature;
    on Python's integers (see the module's note)."""
    e %= Q
    if e == 0:
        e = 1
    while True:
        k = secrets.randbelow(Q - 1) + 1
        r = PYTHON.multiply_base(k)[0] % Q
        if r == 0:
            continue
        s = (r * d + k * e) % Q
        if s:
            return r, s


def multiply_base(k: int) -> tuple[int, int]:
    """k*G, on Python's integers (``k`` may be secret)."""
    return PYTHON.multiply_base(k)


def accelerated() -> bool:
    """Does verification run on gmpy2 (GMP)? False when gmpy2 is missing or for the
    duration of ``python_only``."""
    return _verifying() is not PYTHON


@contextlib.contextmanager
def python_only() -> Iterator[None]:
    """Verify on Python's integers inside the block (the benchmark's before, the tests'
    fallback), whether or not gmpy2 is installed. Process-wide: not for a server whose
    other threads are verifying."""
    global _forced
    previous, _forced = _forced, PYTHON
    try:
        yield
    finally:
        _forced = previous


def _verifying() -> Arithmetic:
    return _forced or _accelerated() or PYTHON


_forced: Arithmetic | None = None


@functools.cache
def _accelerated() -> Arithmetic | None:
    try:
        import gmpy2
    except ImportError:
        log.warning("gmpy2 is not installed: GOST signatures are verified on Python's "
                    "integers, about 4 times slower (pip install the project's dependencies)")
        return None
    return Arithmetic(gmpy2.mpz)


# --- the point arithmetic ------------------------------------------------------------


class Arithmetic:
    """The curve's point arithmetic on one kind of integer: ``number`` turns a Python int
    into it (``int`` itself, or ``gmpy2.mpz``). Results come back as Python ints."""

    def __init__(self, number: Callable[[int], Any]):
        self.number = number
        self._p = number(P)

    def verify(self, x: int, y: int, e: int, r: int, s: int) -> bool:
        """``verify`` above, for a key already known to be on the curve."""
        if not (0 < r < Q and 0 < s < Q):
            return False
        e %= Q
        if e == 0:
            e = 1
        v = pow(e, -1, Q)
        point = self.combination(s * v % Q, -r * v % Q, (x, y))
        if point is None:
            return False
        return point[0] % Q == r

    def multiply_base(self, k: int) -> tuple[int, int]:
        point = self.combination(k, 0, None)
        if point is None:  # pragma: no cover - k is below the group order
            raise ValueError("k*G is the point at infinity")
        return point

    def combination(self, u1: int, u2: int, q_point: Affine | None) -> tuple[int, int] | None:
        """u1*G + u2*Q in affine coordinates, or None for the point at infinity."""
        p = self._p
        g_table = self._g_table
        naf1 = _wnaf(u1, _G_WINDOW)
        # without Q (the point at infinity) u2*Q adds nothing
        naf2 = _wnaf(u2, _Q_WINDOW) if u2 and q_point is not None else []
        q_table: tuple[Affine, ...] = ()
        if q_point is not None and naf2:
            number = self.number
            q_table = self._odd_multiples((number(q_point[0]), number(q_point[1])), _Q_WINDOW)
        length = max(len(naf1), len(naf2))
        naf1 += [0] * (length - len(naf1))
        naf2 += [0] * (length - len(naf2))
        # the digits that add something, most significant first; runs of doublings between
        double_n, add_affine = self._double_n, self._add_affine
        current: Jacobian | None = None
        previous = length
        for i in range(length - 1, -1, -1):
            digit1, digit2 = naf1[i], naf2[i]
            if not (digit1 or digit2):
                continue
            if current is not None:
                current = double_n(current, previous - i)
            previous = i
            for digit, table in ((digit1, g_table), (digit2, q_table)):
                if digit:
                    px, py = table[abs(digit) >> 1]
                    if digit < 0:
                        py = p - py
                    current = (px, py, 1) if current is None else add_affine(current, px, py)
        if current is not None and previous:
            current = double_n(current, previous)
        affine = self._to_affine(current)
        return None if affine is None else (int(affine[0]), int(affine[1]))

    @functools.cached_property
    def _g_table(self) -> tuple[Affine, ...]:
        return self._odd_multiples((self.number(GX), self.number(GY)), _G_WINDOW)

    def _odd_multiples(self, point: Affine, w: int) -> tuple[Affine, ...]:
        """P, 3P, 5P, ... (2^(w-1) - 1)P in affine coordinates, with one shared inversion."""
        x, y = point
        twice = self._double((x, y, 1))
        jacobians: list[Jacobian] = [(x, y, 1)]
        twice_affine = self._to_affine(twice)
        if twice_affine is None:  # pragma: no cover - prime order: 2P is never infinity
            raise ValueError("2P is the point at infinity")
        for _ in range((1 << (w - 2)) - 1):
            jacobians.append(self._add_affine(jacobians[-1], *twice_affine))
        return self._batch_to_affine(jacobians)

    def _double(self, point: Jacobian) -> Jacobian:
        return self._double_n(point, 1)

    def _double_n(self, point: Jacobian, n: int) -> Jacobian:
        """2^n * point: n doublings in one loop, the time of a verification (dbl-2001-b,
        a = -3; no point of this curve has y = 0, so only Z = 0 is infinity)."""
        p = self._p
        x, y, z = point
        for _ in range(n):
            if not z:
                break
            delta = z * z % p
            gamma = y * y % p
            beta = x * gamma % p
            alpha = 3 * (x - delta) * (x + delta) % p
            x = (alpha * alpha - 8 * beta) % p
            z = 2 * y * z % p
            y = (alpha * (4 * beta - x) - 8 * gamma * gamma) % p
        return x, y, z

    def _add_affine(self, point: Jacobian, x2: Any, y2: Any) -> Jacobian:
        # madd-2007-bl: Jacobian + affine
        p = self._p
        x1, y1, z1 = point
        if z1 == 0:
            return x2, y2, 1
        z1z1 = z1 * z1 % p
        h = (x2 * z1z1 - x1) % p
        rr = 2 * (y2 * z1 * z1z1 - y1) % p
        if h == 0:
            if rr == 0:
                return self._double((x2, y2, 1))
            return (1, 1, 0)
        hh = h * h % p
        i = 4 * hh
        j = h * i % p
        v = x1 * i % p
        x3 = (rr * rr - j - 2 * v) % p
        y3 = (rr * (v - x3) - 2 * y1 * j) % p
        z3 = ((z1 + h) ** 2 - z1z1 - hh) % p
        return x3, y3, z3

    def _to_affine(self, point: Jacobian | None) -> Affine | None:
        if point is None or point[2] == 0:
            return None
        p = self._p
        x, y, z = point
        zinv = pow(z, -1, p)
        zinv2 = zinv * zinv % p
        return x * zinv2 % p, y * zinv2 * zinv % p

    def _batch_to_affine(self, points: list[Jacobian]) -> tuple[Affine, ...]:
        """Montgomery's trick: one inversion for all (no point here is at infinity)."""
        p = self._p
        prefix = [self.number(1)]
        for _, _, z in points:
            prefix.append(prefix[-1] * z % p)
        inverse = pow(prefix[-1], -1, p)
        result: list[Affine] = [(0, 0)] * len(points)
        for index in range(len(points) - 1, -1, -1):
            x, y, z = points[index]
            zinv = inverse * prefix[index] % p
            inverse = inverse * z % p
            zinv2 = zinv * zinv % p
            result[index] = (x * zinv2 % p, y * zinv2 * zinv % p)
        return tuple(result)


def _wnaf(k: int, w: int) -> list[int]:
    """The width-w NAF of k, least significant digit first."""
    digits = []
    window, half = 1 << w, 1 << (w - 1)
    while k:
        if k & 1:
            digit = k & (window - 1)
            if digit >= half:
                digit -= window
            k -= digit
        else:
            digit = 0
        digits.append(digit)
        k >>= 1
    return digits


#: the arithmetic on Python's integers: signing, and verification without gmpy2
PYTHON = Arithmetic(int)
