"""The point arithmetic of ``curve``: Jacobian coordinates with the a = -3 doubling
(3M + 5S), mixed Jacobian-affine additions, and Shamir's trick: u1*G + u2*Q share one chain
of doublings, each scalar in width-w NAF, G's odd multiples (w = 8) computed once per
process, Q's (w = 5) per verification with one shared inversion. The same code runs on
Python's integers and on gmpy2's (``number``). Not constant-time (see ``curve``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

_G_WINDOW = 8
_Q_WINDOW = 5

# Coordinates are Python ints or gmpy2 mpz, whichever the Arithmetic was built on
Jacobian = tuple[Any, Any, Any]
Affine = tuple[Any, Any]


class Arithmetic:
    """A short Weierstrass curve's point arithmetic (a = -3, prime order q) on one kind of
    integer: ``number`` turns a Python int into it (``int`` itself, or ``gmpy2.mpz``).
    Results come back as Python ints."""

    def __init__(self, number: Callable[[int], Any], *, p: int, q: int, gx: int, gy: int):
        self.number = number
        self._p = number(p)
        self._q, self._g = q, (gx, gy)

    def check(self, x: int, y: int, e: int, r: int, s: int) -> bool:
        """GOST R 34.10-2012, 6.2, steps 4-7, for checked input: (x, y) on the curve,
        0 < r, s < q and 0 < e < q."""
        q = self._q
        v = pow(e, -1, q)
        point = self.combination(s * v % q, -r * v % q, (x, y))
        if point is None:
            return False
        return point[0] % q == r

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
        gx, gy = self._g
        return self._odd_multiples((self.number(gx), self.number(gy)), _G_WINDOW)

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

