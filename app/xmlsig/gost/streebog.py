"""Streebog-512 (GOST R 34.11-2012/2015, 512-bit digest).

Fast path: Debian's ``libengine-gost-openssl`` ships ``gostprov``, an OpenSSL 3 provider
with the Streebog digests in C. Loaded into the default library context of the libcrypto
that Python's ``hashlib`` is linked against, ``hashlib.new("md_gost12_512")`` then hashes
1 MB in about 6 ms. We load the ``default`` provider first: loading any provider by hand
stops OpenSSL from loading the default one on its own, and SHA-256 must keep working.
``cryptography`` carries its own statically linked OpenSSL and is not affected either way.

Fallback: when the provider is missing (a machine set up without ``scripts/setup``), a
warning is logged once and ``fast_path_warning()`` gives the sentence ``qujat`` prints;
hashing then runs in pure Python (``_streebog_py``), 1.2 s per MB instead of 6 ms. The fallback is
our own rather than ``gostcrypto`` because that is a test-only dependency (it checks both
paths in the tests), and a loop over 64-bit words with the precomputed LPS tables is
ten times faster than its byte arrays.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import logging

log = logging.getLogger(__name__)

#: the name OpenSSL's gost provider gives Streebog-512
OPENSSL_NAME = "md_gost12_512"
PROVIDER = "gostprov"
DEBIAN_PACKAGE = "libengine-gost-openssl"


@functools.cache
def fast_path_available() -> bool:
    """True when Streebog-512 runs in C (OpenSSL's gost provider); logs a warning once
    when it does not."""
    try:
        hashlib.new(OPENSSL_NAME)
        return True
    except ValueError:
        pass
    problem = _load_provider()
    if problem is None:
        try:
            hashlib.new(OPENSSL_NAME)
            return True
        except ValueError:
            problem = f"the {PROVIDER} provider loaded but offers no {OPENSSL_NAME}"
    log.warning("%s (%s)", fast_path_warning(), problem)
    return False


def fast_path_warning() -> str | None:
    """What ``qujat`` says when GOST hashing runs in pure Python; None when it runs in C."""
    if fast_path_available():
        return None
    return (
        f"GOST hashing (Streebog-512) runs in pure Python (about 200 times slower): install "
        f"the Debian package {DEBIAN_PACKAGE} (scripts/setup does) for OpenSSL's "
        f"{PROVIDER} provider"
    )


def _load_provider() -> str | None:
    """Load the gost provider into hashlib's libcrypto; None on success, else the reason.

    The functions are looked up through ``_hashlib``'s own handle: dlsym searches a library
    and then its dependencies, so this is the libcrypto hashlib is linked against even when
    another one is mapped too (psycopg's wheel bundles its own)."""
    import _hashlib

    try:
        load = ctypes.CDLL(_hashlib.__file__).OSSL_PROVIDER_load
    except (OSError, AttributeError) as exc:
        return f"hashlib's libcrypto is not OpenSSL 3: {exc}"
    load.restype = ctypes.c_void_p
    load.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    if not load(None, b"default"):
        return "OpenSSL's default provider does not load"
    if not load(None, PROVIDER.encode()):
        return f"OpenSSL cannot load the {PROVIDER} provider"
    return None


def new_streebog512(data: bytes = b""):
    """A hashlib-like Streebog-512 object (``update``, ``digest``, ``copy``)."""
    if fast_path_available():
        return hashlib.new(OPENSSL_NAME, data)
    from app.xmlsig.gost._streebog_py import Streebog512

    return Streebog512(data)


def streebog512(data: bytes) -> bytes:
    """The 64-byte Streebog-512 digest of ``data``, as the standard writes it (the byte
    order that gostcrypto, OpenSSL and Kalkan's DigestValue use)."""
    return new_streebog512(data).digest()
