"""Verification against extra empty ds:Signature siblings, as ratios to a normal document.

    .venv/bin/python bench/verify_scaling.py [--repeat 5]

Signs an appeal with the demo PKI's individual key, times ``verify_bytes`` on it (the
reference, median of several runs), then on the same appeal carrying 1,000, 3,000 and
10,000 empty ``<ds:Signature/>`` siblings, and prints each time and its ratio to the
reference, measured in the same run. Under the default limits those documents are refused
(the refusal is printed); with the limits lifted, the rows show what verifying
them costs, which should grow with their size (about 60 bytes a signature), not with its
square: before the limits, 1,000 took 1 s, 3,000 7.8 s and 10,000 more than 120 s.
Absolute figures depend on the machine; the ratios are the point.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EMPTY = b'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'
COUNTS = (1_000, 3_000, 10_000)


def _timed(verify, data: bytes, repeat: int):
    times = []
    result = None
    for _ in range(repeat):
        began = time.perf_counter()
        result = verify(data)
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def _outcome(report) -> str:
    well_formed = report.document_checks[0]
    if well_formed.outcome.value == "failed":
        return f"refused: {well_formed.detail}"
    return f"{report.indication.value} ({len(report.signatures)} signatures reported)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per row (median)")
    args = parser.parse_args()

    from app.xmlsig.limits import Limits
    from app.xmlsig.trust_store import load_policy
    from app.xmlsig.verifier import verify_bytes
    from qujat_demo.pki import init_demo_pki
    from qujat_demo.portal.documents import build, load_key, signed_bytes

    with tempfile.TemporaryDirectory() as tmp:
        pki = init_demo_pki(Path(tmp) / "pki")
        key = load_key(pki.keys["individual_sign"].path, pki.password)
        appeal = signed_bytes(build("appeal", signer=key), key)
        policy = load_policy(anchors=[pki.citizen_root], intermediates=[pki.citizen_ca],
                             crls=[pki.citizen_crl, pki.citizen_root_crl])
    # every count the floods pass: one signature, one element, one declaration each
    most = max(COUNTS) + 100
    lifted = dataclasses.replace(policy, limits=Limits(
        max_signatures=most, max_nodes=most * 2, max_namespace_declarations=most))
    now = datetime.now(UTC)

    def verify(data: bytes, with_policy=policy):
        return verify_bytes(data, policy=with_policy, at=now).report

    reference, report = _timed(verify, appeal, args.repeat * 4)
    print(f"{'normal appeal (reference)':<44} {reference * 1000:9.2f} ms   "
          f"{len(appeal):>9,} bytes   {_outcome(report)}")
    end = appeal.rindex(b"</")
    for label, chosen in (("default limits", policy), ("limits lifted", lifted)):
        for count in COUNTS:
            flood = appeal[:end] + EMPTY * count + appeal[end:]
            median, report = _timed(lambda d, p=chosen: verify(d, p), flood, args.repeat)
            print(f"{f'{count:,} empty signatures, {label}':<44} {median * 1000:9.2f} ms "
                  f"{median / reference:8.1f}x   {len(flood):>9,} bytes   "
                  f"{_outcome(report)[:70]}")


if __name__ == "__main__":
    main()
