"""Loading a CRL of 1,000,000 serials: time and memory of each way, in fresh processes.

    .venv/bin/python bench/crl_index.py [--serials 1000000]

Builds a signed CRL of that many random 120-bit serials (a third with a reason code) once,
then runs each way of loading it in a process of its own and prints its wall time and peak
memory of the load (the process's peak RSS less what it had after its imports, the CRL's
own bytes included), with time as a ratio to the reference measured in the same run: cryptography
reading the CRL and walking its entries once, the least any loader that touches each
entry through it must pay. Then the microseconds a lookup takes.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROBE = r"""
import json, sys, time
from pathlib import Path
from cryptography import x509
from app.xmlsig.revocation import index_crl, read_crls
way, crl_path, ca_path, index_dir = sys.argv[1:5]
ca = x509.load_pem_x509_certificate(Path(ca_path).read_bytes())
def peak_kb():  # VmHWM: this process's peak RSS (ru_maxrss would carry the parent's)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
base = peak_kb()
began = time.perf_counter()
if way == "reference":
    crl = x509.load_der_x509_crl(Path(crl_path).read_bytes())
    n = sum(1 for entry in crl if entry.serial_number)
    index = None
elif way == "dict":  # what index_crl did until December 2026: an object per entry
    crl = x509.load_der_x509_crl(Path(crl_path).read_bytes())
    entries = {}
    for entry in crl:
        try:
            reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        except x509.ExtensionNotFound:
            reason = None
        entries[entry.serial_number] = (entry.revocation_date_utc, reason)
    index = None
else:
    # as the trust store loads it: the file read once, verified and indexed from its bytes
    ((crl, der),) = read_crls(crl_path)
    index = index_crl(crl, issuers=[ca], der=der,
                      index_dir=Path(index_dir) if way != "memory" else None)
took = time.perf_counter() - began
loaded = peak_kb()
lookup = None
if index is not None:
    serials = [entry.serial_number for _, entry in zip(range(1000), index.entries)]
    t = time.perf_counter()
    for s in serials:
        assert index.lookup(s) is not None
        index.lookup(s + 1)
    lookup = (time.perf_counter() - t) / (2 * len(serials)) * 1e6
print(json.dumps({"seconds": took, "mb": (loaded - base) / 1024, "lookup_us": lookup}))
"""


def build_crl(directory: Path, serials: int) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID, SignatureAlgorithmOID

    from qujat_demo.pki import der
    from qujat_demo.pki.templates import CrlTemplate, Revocation

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench CA")])
    now = datetime.now(UTC).replace(microsecond=0)
    ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
          .public_key(key.public_key()).serial_number(1)
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False),
                         critical=True)
          .sign(key, hashes.SHA256()))
    rng = random.Random(1)
    revoked = tuple(
        Revocation(rng.getrandbits(119) | 1 << 119, now - timedelta(seconds=n),
                   x509.ReasonFlags.key_compromise if n % 3 == 0 else None)
        for n in range(serials))
    template = CrlTemplate(issuer=name, this_update=now, next_update=now + timedelta(days=7),
                           extensions=(), revoked=revoked)
    data = der.crl(template, algorithm=der.algorithm_identifier(
        SignatureAlgorithmOID.ECDSA_WITH_SHA256.dotted_string, null_parameters=False),
        sign=lambda tbs: key.sign(tbs, ec.ECDSA(hashes.SHA256())))
    crl_path, ca_path = directory / "big.crl", directory / "ca.pem"
    crl_path.write_bytes(data)
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return crl_path, ca_path


def run(way: str, crl_path: Path, ca_path: Path, index_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, way, str(crl_path), str(ca_path),
                           str(index_dir)], capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{way}: {done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serials", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        print(f"building a CRL of {args.serials:,} serials …", flush=True)
        crl_path, ca_path = build_crl(directory, args.serials)
        print(f"{crl_path.stat().st_size / 1e6:.1f} MB of DER")
        index_dir = directory / "crl-index"
        rows = [
            ("cryptography walks the entries (reference)", run("reference", crl_path,
                                                                ca_path, index_dir)),
            ("a dict of every entry (until now)", run("dict", crl_path, ca_path, index_dir)),
            ("index in memory", run("memory", crl_path, ca_path, index_dir)),
            ("index on disk, first process (builds it)", run("disk", crl_path, ca_path,
                                                             index_dir)),
            ("index on disk, next process (reuses it)", run("disk", crl_path, ca_path,
                                                            index_dir)),
        ]
        reference = rows[0][1]["seconds"]
        for label, row in rows:
            lookup = f"{row['lookup_us']:6.1f} µs/lookup" if row["lookup_us"] else ""
            print(f"{label:45} {row['seconds']:6.2f} s {row['seconds'] / reference:5.2f}x"
                  f" {row['mb']:7.1f} MB  {lookup}")


if __name__ == "__main__":
    main()
