"""How long `qujat verify` takes from the shell, against what Python needs to import the
libraries it cannot do without (lxml, cryptography, signxml), measured in the same run.

    .venv/bin/python bench/verify_start.py [--runs 15] [--files 40]

Prints the median wall time of: the bare imports (the reference), `qujat verify` on one
document, and the same document checked N times in one `qujat verify` run against N
separate runs, each as a ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "kz-nca"
DOCUMENT = FIXTURES / "signed" / "kalkan_rsa_signed.xml"
TRUST = ["--at", "2021-06-01",
         "--trust-anchor", str(FIXTURES / "ca" / "root_rsa_test.pem"),
         "--intermediate", str(FIXTURES / "ca" / "nca_rsa_test.pem")]
QUJAT = str(Path(sys.executable).with_name("qujat"))


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--files", type=int, default=40)
    args = parser.parse_args()

    reference = wall([sys.executable, "-c", "import lxml.etree, cryptography.x509, signxml"],
                     args.runs)
    one = wall([QUJAT, "verify", str(DOCUMENT), *TRUST], args.runs)
    print(f"bare imports (reference)     {reference * 1000:7.0f} ms   1.00x")
    print(f"qujat verify, one document   {one * 1000:7.0f} ms   {one / reference:.2f}x")
    with tempfile.TemporaryDirectory() as scratch:
        copies = []
        for n in range(args.files):
            copy = Path(scratch) / f"doc{n}.xml"
            copy.write_bytes(DOCUMENT.read_bytes())
            copies.append(str(copy))
        batch = wall([QUJAT, "verify", *copies, *TRUST], max(3, args.runs // 5))
    print(f"{args.files} documents in one run  {batch * 1000:7.0f} ms   "
          f"{batch / (one * args.files):.2f}x of {args.files} separate runs")


if __name__ == "__main__":
    main()
