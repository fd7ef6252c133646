"""What the desk benchmarks share: an app over a scratch database, and a median timer."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

#: any root will do for the desks' queries, but the app refuses to start without one
_ANCHOR = (Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "kz-nca" / "ca" /
           "root_rsa_test.pem")


def desk_app(scratch: str, *, database_url: str | None, name: str):
    from app import create_app

    return create_app({
        "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{scratch}/{name}.db",
        "QUJAT_BLOB_DIR": scratch,
        "QUJAT_TRUST_ANCHORS": [str(_ANCHOR)],
        "QUJAT_REVOCATION_REQUIRED": False,
    })


def median_time(fn, repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def report(rows, reference: float, repeat: int = 30) -> None:
    print(f"{'primary-key lookup (reference)':<36} {reference * 1000:8.3f} ms")
    for name, fn in rows:
        median = median_time(fn, repeat)
        print(f"{name:<36} {median * 1000:8.3f} ms   {median / reference:7.1f}x reference")
