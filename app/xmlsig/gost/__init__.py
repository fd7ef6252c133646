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

from app.xmlsig.gost.keys import (
    GOST_KEY_OID,
    GOST_KEY_PARAMETERS_OID,
    GOST_SIGNATURE_OID,
    GostPrivateKey,
    GostPublicKey,
    is_gost_certificate,
    public_key_from_certificate,
)
from app.xmlsig.gost.pkcs12 import dump_gost_pkcs12, load_gost_pkcs12
from app.xmlsig.gost.streebog import (
    fast_path_available,
    fast_path_warning,
    new_streebog512,
    streebog512,
)

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
