"""GOST R 34.10-2012 on id-tc26-gost-3410-12-512-paramSetA: verification, signing, k*G.

Kazakhstan's GOST 34.10-2015 (512 bit) is this standard on this curve (p = 2^512 - 569,
a = -3, prime order, cofactor 1: every point of the curve but infinity has order q, so a
key that passes ``on_curve`` has no small order to fear). The functions here work on
integers; the byte order of keys, hashes and signatures (little-endian everywhere, NCA
style) lives in ``keys``.

Verification takes the first of three verifiers that works here, each checked against the
others and against gostcrypto in the tests (medians on a loaded 2-core machine, u1*G + u2*Q
with a fresh key each time):

- ``openssl``, 0.8-0.9 ms: OpenSSL's default provider through the supported EVP API, the
  GOST equation rewritten as ECDSA on the curve's explicit parameters (``_openssl``).
  Debian's ``gostprov`` provider has digests only; GOST signatures proper are behind the
  deprecated ENGINE API, and the EC_POINT calls are deprecated too.
- ``gmpy2``, 1.6-1.7 ms: our arithmetic (``_arithmetic``) on GMP's integers (gmpy2 is a
  dependency, a wheel). fastecdsa 4 (Rust now) was measured too: it takes the curve as a
  custom one but is no faster than Python's integers (6.7 ms).
- ``python``, 6.3-6.7 ms: the same arithmetic on Python's integers, with a warning logged.

Verification handles public data only, so it need not be constant-time. Signing (``k*G``
with a secret ``k``) and deriving a public key from its private one stay on Python's
integers, exactly as before: not constant-time either (acceptable for an office key on its
own server, not for a multi-tenant signing service), and neither OpenSSL's ECDSA nor gmpy2
offers a GOST signature to use instead; they run once per mark or letter, not once per
document received.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import secrets
from collections.abc import Iterator
from typing import Protocol

from app.xmlsig.gost import _openssl
from app.xmlsig.gost._arithmetic import Arithmetic

log = logging.getLogger(__name__)

P = 2**512 - 569
A = P - 3
B = 0xE8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760  # noqa: E501
Q = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275  # noqa: E501
GX = 3
GY = 0x7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4  # noqa: E501

#: the arithmetic on Python's integers: signing, k*G, and verification when nothing faster
PYTHON = Arithmetic(int, p=P, q=Q, gx=GX, gy=GY)


class Verifier(Protocol):
    def check(self, x: int, y: int, e: int, r: int, s: int) -> bool:
        """GOST R 34.10-2012, 6.2, for checked input: (x, y) on the curve, 0 < r, s < q,
        0 < e < q."""
        ...


def on_curve(x: int, y: int) -> bool:
    return 0 <= x < P and 0 <= y < P and (y * y - x * x * x - A * x - B) % P == 0


def verify(x: int, y: int, e: int, r: int, s: int) -> bool:
    """GOST R 34.10-2012, 6.2: does (r, s) sign the hash ``e`` under the key (x, y)?
    A key off the curve is refused here, before any arithmetic (``GostPublicKey`` already
    refuses to exist off it), and so are r and s outside 1..q-1."""
    if not on_curve(x, y) or not (0 < r < Q and 0 < s < Q):
        return False
    e %= Q
    if e == 0:
        e = 1
    name = verifier_name()
    try:
        return _verifiers()[name].check(x, y, e, r, s)
    except _openssl.OpenSSLUnusable as exc:
        # never seen; if OpenSSL ever fails on good input, the next verifier answers
        log.warning("GOST verification through OpenSSL failed (%s): verifying on gmpy2 "
                    "or Python's integers from now on", exc)
        _verifiers().pop(name, None)
        return _verifiers()[next(iter(_verifiers()))].check(x, y, e, r, s)


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


def verifier_name() -> str:
    """Which verifier runs: ``openssl``, ``gmpy2`` or ``python``."""
    if _forced is not None and _forced in _verifiers():
        return _forced
    return next(iter(_verifiers()))


def available_verifiers() -> list[str]:
    """The verifiers that work here, fastest first."""
    return list(_verifiers())


@contextlib.contextmanager
def verifying_with(name: str) -> Iterator[None]:
    """Verify with ``name`` inside the block (the benchmark's before and after, the tests'
    cross-checks); ``ValueError`` when it does not work here. Process-wide: not for a
    server whose other threads are verifying."""
    if name not in _verifiers():
        raise ValueError(f"the GOST verifier {name!r} is not available here: "
                         f"{', '.join(_verifiers())}")
    global _forced
    previous, _forced = _forced, name
    try:
        yield
    finally:
        _forced = previous


_forced: str | None = None


@functools.cache
def _verifiers() -> dict[str, Verifier]:
    found: dict[str, Verifier] = {}
    openssl, problem = _openssl.load(P, A, B, Q, GX, GY)
    if openssl is not None and not (problem := _self_test(openssl)):
        found["openssl"] = openssl
    else:
        log.info("GOST verification without OpenSSL: %s", problem)
    if importlib.util.find_spec("gmpy2") is not None:
        found["gmpy2"] = _OnGmpy2()
    found["python"] = PYTHON
    if len(found) == 1:
        log.warning("GOST signatures are verified on Python's integers, 4-8 times slower: "
                    "neither OpenSSL 3 (%s) nor gmpy2 (a dependency of the project) works "
                    "here", problem)
    return found


class _OnGmpy2:
    """Our arithmetic on gmpy2's integers, gmpy2 imported when first needed: its import
    costs 15-35 ms (importlib.metadata, mostly), which a one-shot ``qujat verify`` need not
    pay when OpenSSL answers."""

    @functools.cached_property
    def arithmetic(self) -> Arithmetic:
        import gmpy2

        return Arithmetic(gmpy2.mpz, p=P, q=Q, gx=GX, gy=GY)

    def check(self, x: int, y: int, e: int, r: int, s: int) -> bool:
        return self.arithmetic.check(x, y, e, r, s)


def _self_test(verifier: Verifier) -> str:
    """A signature made here (key 1, nonce 2) must verify and a changed one must not;
    empty when both hold, else what went wrong."""
    e = 0x5EED
    r = PYTHON.multiply_base(2)[0] % Q
    s = (r + 2 * e) % Q
    try:
        if verifier.check(GX, GY, e, r, s) and not verifier.check(GX, GY, e + 1, r, s):
            return ""
        return "it verified the self-test signature wrongly"
    except _openssl.OpenSSLUnusable as exc:
        return str(exc)
