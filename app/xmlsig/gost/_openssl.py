"""GOST R 34.10-2012 verification through OpenSSL's EVP API, as an ECDSA verification.

OpenSSL has no GOST signature outside the deprecated gost ENGINE (Debian's ``gostprov``
provider brings digests only), but its default provider verifies ECDSA on any prime curve
given by explicit parameters, through supported calls: ``EVP_PKEY_fromdata`` builds the key
from an ``OSSL_PARAM`` list (p, a, b, G, q, cofactor, the public point) and
``EVP_PKEY_verify`` checks a signature over a raw digest. The two equations differ only in
where the hash and s stand:

    GOST  (r, s) on e with key Q:  x(s/e * G - r/e * Q) mod q == r
    ECDSA (r, s') on m with key Q': x(m/s' * G + r/s' * Q') mod q == r

so the GOST check is the ECDSA check of (r, s' = e) on m = s with the key Q' = -Q =
(x, p - y). The caller has checked that 0 < r, s < q, that e mod q is not 0 (the standard
uses 1 then) and that the key is on the curve; OpenSSL checks the point again. 512 bits
are the order's size, so OpenSSL neither truncates m nor needs it below q.

The functions come from the libcrypto that ``hashlib`` is linked against (as in
``streebog``; ``cryptography`` carries its own OpenSSL and exports nothing to call).
Every object made is freed in ``finally``, and OpenSSL's error queue is emptied after each
verification so that nothing is left for hashlib to find. A library without these
functions makes ``load`` answer None, a key OpenSSL will not build makes ``check`` raise
``OpenSSLUnusable``: the caller then verifies on gmpy2 or in Python.
"""

from __future__ import annotations

import ctypes
from typing import Any

from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

_P_SIZE = 64
#: OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS (EVP_PKEY_PUBLIC_KEY)
_PUBLIC_KEY = 0x86


class OpenSSLUnusable(RuntimeError):
    """Raised when an OpenSSL call that cannot fail on good input fails."""


def _ecdsa_signature(r: int, s: int) -> bytes:
    """ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, DER, as OpenSSL takes it."""
    return encode_dss_signature(r, s)


class OpenSSLVerifier:
    """ECDSA verification on paramSetA through hashlib's libcrypto (OpenSSL 3)."""

    def __init__(self, library: ctypes.CDLL, p: int, a: int, b: int, q: int, gx: int, gy: int):
        self._p = p
        self._domain = [(b"p", p), (b"a", a), (b"b", b), (b"order", q), (b"cofactor", 1)]
        self._generator = b"\x04" + gx.to_bytes(_P_SIZE, "big") + gy.to_bytes(_P_SIZE, "big")
        self._f = _functions(library)

    def check(self, x: int, y: int, e: int, r: int, s: int) -> bool:
        """The GOST check of (r, s) on ``e`` under (x, y), as ECDSA, for checked input:
        (x, y) on the curve, 0 < r, s < q, 0 < e < q."""
        f = self._f
        key = self._public_key(x, self._p - y)
        context = f.EVP_PKEY_CTX_new_from_pkey(None, key, None)
        try:
            if not context or f.EVP_PKEY_verify_init(context) != 1:
                raise OpenSSLUnusable("EVP_PKEY_verify_init failed")
            signature = _ecdsa_signature(r, e)
            message = s.to_bytes(_P_SIZE, "big")
            answer = f.EVP_PKEY_verify(context, signature, len(signature), message,
                                       len(message))
        finally:
            f.EVP_PKEY_CTX_free(context)
            f.EVP_PKEY_free(key)
            f.ERR_clear_error()
        # 1: it verifies; 0: it does not; below 0: OpenSSL stopped, as it does when
        # u1*G + u2*Q is the point at infinity, which no valid signature reaches (its x is
        # r, not 0) but anyone can aim at: a signature that does not verify either, never
        # a reason to stop using OpenSSL (the self-test at load is the check of that)
        return answer == 1

    def _public_key(self, x: int, y: int) -> Any:
        f = self._f
        # OSSL_PARAM keeps pointers to the names it is given: they are all bytes constants
        # here, alive as long as the module
        builder = f.OSSL_PARAM_BLD_new()
        numbers: list[Any] = []
        params = None
        try:
            if not builder:
                raise OpenSSLUnusable("OSSL_PARAM_BLD_new failed")
            ok = f.OSSL_PARAM_BLD_push_utf8_string(builder, b"field-type", b"prime-field", 0)
            for name, value in self._domain:
                number = f.BN_bin2bn(value.to_bytes(_P_SIZE, "big"), _P_SIZE, None)
                if not number:
                    raise OpenSSLUnusable("BN_bin2bn failed")
                numbers.append(number)
                ok &= f.OSSL_PARAM_BLD_push_BN(builder, name, number)
            point = b"\x04" + x.to_bytes(_P_SIZE, "big") + y.to_bytes(_P_SIZE, "big")
            ok &= f.OSSL_PARAM_BLD_push_octet_string(builder, b"generator", self._generator,
                                                     len(self._generator))
            ok &= f.OSSL_PARAM_BLD_push_octet_string(builder, b"pub", point, len(point))
            params = f.OSSL_PARAM_BLD_to_param(builder) if ok == 1 else None
            if not params:
                raise OpenSSLUnusable("the key's OSSL_PARAM list cannot be built")
            context = f.EVP_PKEY_CTX_new_from_name(None, b"EC", None)
            key = ctypes.c_void_p()
            try:
                if (not context or f.EVP_PKEY_fromdata_init(context) != 1
                        or f.EVP_PKEY_fromdata(context, ctypes.byref(key), _PUBLIC_KEY,
                                               params) != 1 or not key):
                    raise OpenSSLUnusable("EVP_PKEY_fromdata refused the key")
            finally:
                f.EVP_PKEY_CTX_free(context)
            return key
        finally:
            f.OSSL_PARAM_free(params)
            for number in numbers:
                f.BN_free(number)
            f.OSSL_PARAM_BLD_free(builder)
            f.ERR_clear_error()


def _functions(library: ctypes.CDLL) -> Any:
    """The calls used above with their C signatures; AttributeError when one is missing
    (OpenSSL 1.1 has none of the OSSL_PARAM ones)."""
    pointer, text, size, integer = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "OSSL_PARAM_BLD_new": (pointer, []),
        "OSSL_PARAM_BLD_free": (None, [pointer]),
        "OSSL_PARAM_BLD_push_utf8_string": (integer, [pointer, text, text, size]),
        "OSSL_PARAM_BLD_push_octet_string": (integer, [pointer, text, text, size]),
        "OSSL_PARAM_BLD_push_BN": (integer, [pointer, text, pointer]),
        "OSSL_PARAM_BLD_to_param": (pointer, [pointer]),
        "OSSL_PARAM_free": (None, [pointer]),
        "BN_bin2bn": (pointer, [text, integer, pointer]),
        "BN_free": (None, [pointer]),
        "EVP_PKEY_CTX_new_from_name": (pointer, [pointer, text, text]),
        "EVP_PKEY_CTX_new_from_pkey": (pointer, [pointer, pointer, text]),
        "EVP_PKEY_CTX_free": (None, [pointer]),
        "EVP_PKEY_fromdata_init": (integer, [pointer]),
        "EVP_PKEY_fromdata": (integer, [pointer, ctypes.POINTER(pointer), integer, pointer]),
        "EVP_PKEY_free": (None, [pointer]),
        "EVP_PKEY_verify_init": (integer, [pointer]),
        "EVP_PKEY_verify": (integer, [pointer, text, size, text, size]),
        "ERR_clear_error": (None, []),
    }
    namespace = type("LibCrypto", (), {})()
    for name, (result, arguments) in signatures.items():
        function = getattr(library, name)
        function.restype = result
        function.argtypes = arguments
        setattr(namespace, name, function)
    return namespace


#: the shared library whose libcrypto is used; None: the one hashlib is linked against
LIBRARY: str | None = None


def load(p: int, a: int, b: int, q: int, gx: int, gy: int) -> tuple[OpenSSLVerifier | None, str]:
    """The verifier over the libcrypto of ``LIBRARY``, or None and the reason it cannot be
    had."""
    import _hashlib

    try:
        library = ctypes.CDLL(LIBRARY or _hashlib.__file__)
        return OpenSSLVerifier(library, p, a, b, q, gx, gy), ""
    except (OSError, AttributeError) as exc:
        return None, f"no OpenSSL 3 EVP_PKEY_fromdata in {LIBRARY or 'hashlib'}: {exc}"
