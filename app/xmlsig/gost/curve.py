"""GOST R 34.10-2012 arithmetic on id-tc26-gost-3410-12-512-paramSetA, in Python integers.

Kazakhstan's GOST 34.10-2015 (512 bit) is this standard on this curve (p = 2^512 - 569,
a = -3, prime order, cofactor 1). The functions here work on integers; the byte order of
keys, hashes and signatures (little-endian everywhere, NCA style) lives in ``keys``.

Why pure Python (measured here, medians of 200, see also bench/intake.py): u1*G + u2*Q
takes 5.3 ms in this module and 0.7 ms through libcrypto's generic EC_POINT_mul over ctypes
(the gost engine would be similar: it is the same OpenSSL arithmetic, behind the deprecated
ENGINE API, a key rewrapped with the Russian OIDs and a reversed signature; the Debian
``gostprov`` provider brings digests only). Our whole verification of a 5 KB appeal,
certificate chain included, is 6.7 ms against a budget of 10 ms; the intake path around it
costs more than the difference. C would need a dozen ctypes calls on deprecated functions
with hand-managed BIGNUMs, where a mistake crashes the worker instead of raising, and would
tie signatures to the Debian package that is today only an optional speed-up for hashing.
If GOST throughput ever matters more than that, EC_POINT_mul is the measured way out.
Inlining the point formulas into the loop gained 2%: the time is in the 512-bit integer
multiplications and reductions themselves.

How: Jacobian coordinates with the a = -3 doubling (3M + 5S), mixed Jacobian-affine
additions, and Shamir's trick: u1*G + u2*Q share one chain of 512 doublings, each scalar
in width-w NAF, G's odd multiples (w = 8) computed once per process, Q's (w = 5) per
verification with one shared inversion. Verification handles public data only, so it
need not be constant-time. Signing (``k*G`` with a secret ``k``) runs through the same
code, so it is not constant-time either: acceptable for an office key on its own server,
not for a multi-tenant signing service.
"""

from __future__ import annotations

import functools
import secrets

P = 2**512 - 569
A = P - 3
B = 0xE8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760  # noqa: E501
Q = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275  # noqa: E501
GX = 3
GY = 0x7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4  # noqa: E501

_G_WINDOW = 8
_Q_WINDOW = 5

Jacobian = tuple[int, int, int]
Affine = tuple[int, int]


def on_curve(x: int, y: int) -> bool:
    return 0 <= x < P and 0 <= y < P and (y * y - x * x * x - A * x - B) % P == 0


def verify(x: int, y: int, e: int, r: int, s: int) -> bool:
    """GOST R 34.10-2012, 6.2: does (r, s) sign the hash ``e`` under the key (x, y)?
    The caller has checked that (x, y) is on the curve."""
    if not (0 < r < Q and 0 < s < Q):
        return False
    e %= Q
    if e == 0:
        e = 1
    v = pow(e, -1, Q)
    point = _combination(s * v % Q, -r * v % Q, (x, y))
    if point is None:
        return False
    return point[0] % Q == r


def sign(d: int, e: int) -> tuple[int, int]:
    """GOST R 34.10-2012, 6.1, with a fresh nonce from ``secrets`` for every signature."""
    e %= Q
    if e == 0:
        e = 1
    while True:
        k = secrets.randbelow(Q - 1) + 1
        r = multiply_base(k)[0] % Q
        if r == 0:
            continue
        s = (r * d + k * e) % Q
        if s:
            return r, s


def multiply_base(k: int) -> Affine:
    point = _combination(k, 0, None)
    if point is None:  # pragma: no cover - k is below the group order
        raise ValueError("k*G is the point at infinity")
    return point


# --- the point arithmetic ------------------------------------------------------------


def _combination(u1: int, u2: int, q_point: Affine | None) -> Affine | None:
    """u1*G + u2*Q in affine coordinates, or None for the point at infinity."""
    g_table = _g_table()
    naf1 = _wnaf(u1, _G_WINDOW)
    # without Q (the point at infinity) u2*Q adds nothing
    naf2 = _wnaf(u2, _Q_WINDOW) if u2 and q_point is not None else []
    q_table = _odd_multiples(q_point, _Q_WINDOW) if q_point is not None and naf2 else []
    length = max(len(naf1), len(naf2))
    naf1 += [0] * (length - len(naf1))
    naf2 += [0] * (length - len(naf2))
    current: Jacobian | None = None
    for i in range(length - 1, -1, -1):
        if current is not None:
            current = _double(current)
        for digit, table in ((naf1[i], g_table), (naf2[i], q_table)):
            if digit:
                px, py = table[abs(digit) >> 1]
                if digit < 0:
                    py = P - py
                current = (px, py, 1) if current is None else _add_affine(current, px, py)
    return _to_affine(current)


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


@functools.cache
def _g_table() -> tuple[Affine, ...]:
    return _odd_multiples((GX, GY), _G_WINDOW)


def _odd_multiples(point: Affine, w: int) -> tuple[Affine, ...]:
    """P, 3P, 5P, ... (2^(w-1) - 1)P in affine coordinates, with one shared inversion."""
    x, y = point
    twice = _double((x, y, 1))
    jacobians: list[Jacobian] = [(x, y, 1)]
    twice_affine = _to_affine(twice)
    if twice_affine is None:  # pragma: no cover - prime order: 2P is never infinity
        raise ValueError("2P is the point at infinity")
    for _ in range((1 << (w - 2)) - 1):
        jacobians.append(_add_affine(jacobians[-1], *twice_affine))
    return _batch_to_affine(jacobians)


def _double(point: Jacobian) -> Jacobian:
    # dbl-2001-b (a = -3)
    x, y, z = point
    if y == 0 or z == 0:
        return (1, 1, 0)
    delta = z * z % P
    gamma = y * y % P
    beta = x * gamma % P
    alpha = 3 * (x - delta) * (x + delta) % P
    x3 = (alpha * alpha - 8 * beta) % P
    z3 = ((y + z) ** 2 - gamma - delta) % P
    y3 = (alpha * (4 * beta - x3) - 8 * gamma * gamma) % P
    return x3, y3, z3


def _add_affine(point: Jacobian, x2: int, y2: int) -> Jacobian:
    # madd-2007-bl: Jacobian + affine
    x1, y1, z1 = point
    if z1 == 0:
        return x2, y2, 1
    z1z1 = z1 * z1 % P
    h = (x2 * z1z1 - x1) % P
    rr = 2 * (y2 * z1 * z1z1 - y1) % P
    if h == 0:
        if rr == 0:
            return _double((x2, y2, 1))
        return (1, 1, 0)
    hh = h * h % P
    i = 4 * hh
    j = h * i % P
    v = x1 * i % P
    x3 = (rr * rr - j - 2 * v) % P
    y3 = (rr * (v - x3) - 2 * y1 * j) % P
    z3 = ((z1 + h) ** 2 - z1z1 - hh) % P
    return x3, y3, z3


def _to_affine(point: Jacobian | None) -> Affine | None:
    if point is None or point[2] == 0:
        return None
    x, y, z = point
    zinv = pow(z, -1, P)
    zinv2 = zinv * zinv % P
    return x * zinv2 % P, y * zinv2 * zinv % P


def _batch_to_affine(points: list[Jacobian]) -> tuple[Affine, ...]:
    """Montgomery's trick: one inversion for all (no point here is at infinity)."""
    prefix = [1]
    for _, _, z in points:
        prefix.append(prefix[-1] * z % P)
    inverse = pow(prefix[-1], -1, P)
    result: list[Affine] = [(0, 0)] * len(points)
    for index in range(len(points) - 1, -1, -1):
        x, y, z = points[index]
        zinv = inverse * prefix[index] % P
        inverse = inverse * z % P
        zinv2 = zinv * zinv % P
        result[index] = (x * zinv2 % P, y * zinv2 * zinv % P)
    return tuple(result)
