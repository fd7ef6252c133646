"""Regenerate the Java XML-DSig samples: ``python tests/data/xmlsig/java/make_samples.py``.

Makes a throwaway RSA key and self-signed certificate, has the JDK's own XML-DSig
(JavaSign.java, run as a single-file program) sign template.xml in each variant listed
there, and keeps only the signed files and the certificate; the key is discarded. The
tests check these signatures cryptographically; the certificate is not meant to chain.
"""

import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent


def main() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Java XML-DSig test signer")])
    start = datetime.now(UTC).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    with tempfile.TemporaryDirectory() as tmp:
        p12 = Path(tmp) / "signer.p12"
        p12.write_bytes(pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, None, serialization.BestAvailableEncryption(b"secret")))
        subprocess.run(["java", str(HERE / "JavaSign.java"), str(p12), "secret",
                        str(HERE / "template.xml"), str(HERE)], check=True)
    (HERE / "signer.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


if __name__ == "__main__":
    main()
