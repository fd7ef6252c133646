"""A demo PKI shaped like Kazakhstan's: NCA-like citizens' CA, a state bodies' CA, their
holders' keys and CRLs. Knows nothing of Flask or the database.

    pki = init_demo_pki(Path("demo/pki"))          # or: qujat pki init demo/pki
    pki = load_demo_pki(Path("demo/pki"))          # reads manifest.json
    pki.keys["individual_sign"].iin, pki.open_key("system_sign").key
    pki.signing_key("gost_system_sign")           # the GOST family: roles "gost_*"
"""

from .algorithms import ECDSA_P256, GOST_2015_512, RSA_2048, EcdsaP256, Gost2015, KeyAlgorithm, Rsa
from .build import init_demo_pki
from .errors import DirectoryNotEmpty, ManifestError, PkiError
from .hierarchy import DEFAULT_PASSWORD
from .manifest import DemoPki, HolderKind, KeyEntry, KeyPurpose, load_demo_pki

__all__ = [
    "DEFAULT_PASSWORD",
    "ECDSA_P256",
    "GOST_2015_512",
    "RSA_2048",
    "DemoPki",
    "DirectoryNotEmpty",
    "EcdsaP256",
    "Gost2015",
    "HolderKind",
    "KeyAlgorithm",
    "KeyEntry",
    "KeyPurpose",
    "ManifestError",
    "PkiError",
    "Rsa",
    "init_demo_pki",
    "load_demo_pki",
]
