"""Kazakh GOST signatures: GOST R 34.10-2015 (512 bit) with Streebog-512, as Kalkan makes them.

The public API of the package; everything else in it is private. No Flask, no database.

- ``streebog512`` / ``new_streebog512``: GOST R 34.11-2015 (Streebog-512), see ``streebog``
  for the fast path (Debian's libengine-gost-openssl) and its fallback;
  ``fast_path_available`` and ``fast_path_warning`` say which one runs.
- ``GostPublicKey`` / ``GostPrivateKey``: the curve id-tc26-gost-3410-12-512-paramSetA with
  the NCA's little-endian conventions (see ``curve`` and ``keys``).
- ``public_key_from_certificate`` / ``is_gost_certificate``: the key of an NCA certificate,
  which ``cryptography`` parses but cannot load.
- ``load_gost_pkcs12`` / ``dump_gost_pkcs12``: Kalkan's GOST PKCS#12 containers.

DER is read and written with ``asn1crypto`` (pure Python, no C, with the PKCS#8, PKCS#12 and
X.509 structures built in), not by hand; the certificate and CRL code may use it too.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from app.xmlsig.gost.oids import (
    GOST_KEY_OID,
    GOST_KEY_PARAMETERS_OID,
    GOST_SIGNATURE_OID,
    is_gost_certificate,
)

if TYPE_CHECKING:
    from app.xmlsig.gost.keys import GostPrivateKey, GostPublicKey, public_key_from_certificate
    from app.xmlsig.gost.pkcs12 import dump_gost_pkcs12, load_gost_pkcs12
    from app.xmlsig.gost.streebog import (
        fast_path_available,
        fast_path_warning,
        new_streebog512,
        streebog512,
    )

# The key, container and hash code (and asn1crypto under it) load on first use: an RSA
# document asks every certificate "is this GOST?" and should not pay for the answer.
_LAZY = {
    "GostPrivateKey": "keys", "GostPublicKey": "keys", "public_key_from_certificate": "keys",
    "dump_gost_pkcs12": "pkcs12", "load_gost_pkcs12": "pkcs12",
    "fast_path_available": "streebog", "fast_path_warning": "streebog",
    "new_streebog512": "streebog", "streebog512": "streebog",
}


def __getattr__(name: str):
    if (module := _LAZY.get(name)) is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # looked up once
    return value


__all__ = [
    "GOST_KEY_OID",
    "GOST_KEY_PARAMETERS_OID",
    "GOST_SIGNATURE_OID",
    "GostPrivateKey",
    "GostPublicKey",
    "dump_gost_pkcs12",
    "fast_path_available",
    "fast_path_warning",
    "is_gost_certificate",
    "load_gost_pkcs12",
    "new_streebog512",
    "public_key_from_certificate",
    "streebog512",
]
