"""The GOST object identifiers, and the one question every certificate is asked: is its key
GOST? Kept apart from the key code so that checking an RSA chain never imports asn1crypto."""

from __future__ import annotations

from cryptography import x509

#: GOST 34.10-2015 (512 bit) public key, in SubjectPublicKeyInfo and PKCS#8
GOST_KEY_OID = "1.2.398.3.10.1.1.2.2"
#: GOST 34.10-2015 (512 bit) with Streebog-512, in certificates and CRLs
GOST_SIGNATURE_OID = "1.2.398.3.10.1.1.2.3.2"
#: the key parameters the NCA writes: the curve (paramSetA) and the hash (Streebog-512)
GOST_KEY_PARAMETERS_OID = "1.2.398.3.10.1.1.2.2.1"
GOST_HASH_PARAMETERS_OID = "1.2.398.3.10.1.3.3"


def is_gost_certificate(certificate: x509.Certificate) -> bool:
    """Does the certificate carry a GOST 34.10-2015 (512 bit) key?"""
    return certificate.public_key_algorithm_oid.dotted_string == GOST_KEY_OID
