"""Raw bytes in the database itself: the ``blobs`` table, content-addressed by SHA-256.

The store of choice on PostgreSQL. A blob is written through the session of the request,
so it is committed in the same transaction as the row that names it, or not at all: no
orphan blob, no row without its bytes, and every app process on every machine reads what
any of them wrote. Backups and replication of the database carry the documents with them.

Bytes are kept in parts of at most ``PART_BYTES`` (one row each), so that neither side
holds a 40 MB value in one piece on the wire or in a TOAST chunk chain of one row. Writing
the same bytes twice is harmless: a part already there is left as it is (two requests
carrying the same file wait for each other's commit, then do nothing).

``legacy`` is the directory store blobs were written to before (an installation that moved
to PostgreSQL keeps reading them until ``qujat blobs import`` copies them in).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sqlalchemy import LargeBinary, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.documents.blobstore import BlobStore
from app.extensions import Model, db

#: one row's share of a blob: small enough to stream, large enough to be few rows
PART_BYTES = 1024 * 1024
#: parts written by one executemany (a 40 MB document is 40 parts: one call, 40 MB)
_PARTS_PER_STATEMENT = 64


class BlobPart(Model):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: 0, 1, 2 ...: the parts in order; an empty blob is one empty part 0
    part: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


def _insert_ignoring_duplicates():
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(BlobPart).on_conflict_do_nothing(
        index_elements=[BlobPart.sha256, BlobPart.part])


def _check(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class DatabaseBlobStore:
    """The same calls as the directory's ``BlobStore``, in the current session."""

    kind = "database"

    def __init__(self, legacy: BlobStore | None = None):
        self.legacy = legacy

    def put(self, data: bytes) -> str:
        return self.put_many([data])[0]

    def put_many(self, items: list[bytes]) -> list[str]:
        """Several blobs in one statement (the same bytes twice written once)."""
        digests, parts, seen = [], [], set()
        for data in items:
            sha256 = hashlib.sha256(data).hexdigest()
            digests.append(sha256)
            if sha256 in seen:
                continue
            seen.add(sha256)
            view = memoryview(data)
            parts += [{"sha256": sha256, "part": n, "data": bytes(view[start:start + PART_BYTES])}
                      for n, start in enumerate(range(0, max(len(data), 1), PART_BYTES))]
        # one executemany of one statement (psycopg pipelines its rows into one round
        # trip): an INSERT with a VALUES row per part would be compiled anew for every
        # batch, which cost a worker's batch of 100 appeals more than verifying ten of them
        for start in range(0, len(parts), _PARTS_PER_STATEMENT):
            db.session.execute(_insert_ignoring_duplicates(),
                               parts[start:start + _PARTS_PER_STATEMENT])
        return digests

    def get(self, sha256: str) -> bytes:
        rows = db.session.scalars(select(BlobPart.data).where(
            BlobPart.sha256 == _check(sha256)).order_by(BlobPart.part)).all()
        if rows:
            return b"".join(rows)
        if self.legacy is not None and self.legacy.exists(sha256):
            return self.legacy.get(sha256)
        raise FileNotFoundError(f"no blob {sha256}")

    def get_many(self, digests: list[str]) -> dict[str, bytes]:
        """Several blobs in one query (a worker's batch); FileNotFoundError names the
        first one missing."""
        wanted = sorted({_check(sha256) for sha256 in digests})
        parts: dict[str, list[bytes]] = {}
        for start in range(0, len(wanted), 500):
            for sha256, data in db.session.execute(
                    select(BlobPart.sha256, BlobPart.data)
                    .where(BlobPart.sha256.in_(wanted[start:start + 500]))
                    .order_by(BlobPart.sha256, BlobPart.part)):
                parts.setdefault(sha256, []).append(data)
        found = {sha256: b"".join(chunks) for sha256, chunks in parts.items()}
        for sha256 in wanted:
            if sha256 not in found:
                found[sha256] = self.get(sha256)  # the legacy directory, or the error
        return found

    def exists(self, sha256: str) -> bool:
        found = db.session.scalar(select(BlobPart.part).where(
            BlobPart.sha256 == _check(sha256), BlobPart.part == 0))
        if found is not None:
            return True
        return self.legacy is not None and self.legacy.exists(sha256)

    def sweep_incoming(self, *, older_than_seconds: float = 3600) -> int:
        """Nothing half-written is ever left here (a rollback takes it); the old
        directory may still hold a killed process's temporary file."""
        if self.legacy is None or not self.legacy.root.is_dir():
            return 0
        return self.legacy.sweep_incoming(older_than_seconds=older_than_seconds)

    def probe(self) -> None:
        """Raises when the table does not answer (for /healthz)."""
        db.session.execute(select(BlobPart.part).limit(1)).all()

    def import_directory(self, *, batch: int = 100) -> int:
        """Copy the old directory's blobs in (committing every ``batch``); returns how
        many were not in the table yet. The files stay: remove them once a backup holds
        the table."""
        if self.legacy is None or not self.legacy.root.is_dir():
            return 0
        copied = 0
        for digest in self.legacy.digests():
            if db.session.scalar(select(BlobPart.part).where(
                    BlobPart.sha256 == digest, BlobPart.part == 0)) is None:
                if self.put(self.legacy.get(digest)) != digest:
                    raise ValueError(f"the blob file {digest} does not hold its bytes")
                copied += 1
                if copied % batch == 0:
                    db.session.commit()
        db.session.commit()
        return copied

    def digests(self) -> Iterator[str]:
        """Every blob's SHA-256, in order (backup)."""
        yield from db.session.scalars(select(BlobPart.sha256).where(BlobPart.part == 0)
                                      .order_by(BlobPart.sha256))
