"""The cost of a durable blob write: the database's table against the fsync'ed directory.

    QUJAT_BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/blobs.py [--count 200]

Writes ``count`` distinct blobs of 5 KB (an appeal) and a few of 10 MB (the attachments'
cap is 30 MB), each as intake does: the bytes, then a commit. For the table that is one
INSERT of its parts and the commit (PostgreSQL's WAL flush); for the directory a temp
file, fsync, rename and the directory's fsync, then an empty commit. Prints the time per
blob of each and their ratio (table / directory); the absolute figures depend on the
machine and its disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(store, blobs: list[bytes], session) -> float:
    started = time.perf_counter()
    for data in blobs:
        store.put(data)
        session.commit()
    return (time.perf_counter() - started) / len(blobs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--large", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("QUJAT_BENCH_DATABASE_URL")
    if not url:
        sys.exit("set QUJAT_BENCH_DATABASE_URL to a PostgreSQL database to write into")

    from flask import Flask

    from app import models  # noqa: F401
    from app.documents.blobstore import BlobStore
    from app.documents.dbblobs import BlobPart, DatabaseBlobStore
    from app.extensions import db

    app = Flask("bench")
    app.config["SQLALCHEMY_DATABASE_URI"] = url.replace("postgresql://", "postgresql+psycopg://")
    db.init_app(app)
    with app.app_context(), tempfile.TemporaryDirectory() as scratch:
        BlobPart.__table__.create(db.engine, checkfirst=True)
        rows = []
        for size, count in ((5 * 1024, args.count), (10 * 1024 * 1024, args.large)):
            small = [os.urandom(size) for _ in range(count)]
            other = [os.urandom(size) for _ in range(count)]
            table = _timed(DatabaseBlobStore(), small, db.session)
            directory = _timed(BlobStore(Path(scratch)), other, db.session)
            rows.append((size, count, table, directory))
            db.session.execute(BlobPart.__table__.delete().where(
                BlobPart.sha256.in_([hashlib.sha256(d).hexdigest() for d in small])))
            db.session.commit()
        print(f"{'blob':>8} {'n':>5} {'table ms':>10} {'directory ms':>13} {'ratio':>6}")
        for size, count, table, directory in rows:
            print(f"{size // 1024:>6}KB {count:>5} {table * 1000:>10.2f} "
                  f"{directory * 1000:>13.2f} {table / directory:>6.2f}")


if __name__ == "__main__":
    main()
