"""Raw bytes, content-addressed by SHA-256, written durably before anyone is told so.

A blob is written to a temporary file in the same directory, flushed to disk with fsync,
renamed into place and the directory fsynced: after ``put`` returns, a power cut loses
nothing. Writing the same bytes twice is harmless. Several app processes may share the
directory (a shared volume in production).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

#: the prefix of a blob being written; one older than any write could take was left
#: behind by a process killed mid-write
INCOMING = ".incoming-"


class Blobs(Protocol):
    """What every blob store does: this directory, or the database's table
    (``dbblobs.DatabaseBlobStore``); ``storage.blob_store()`` is the running app's."""

    kind: str

    def put(self, data: bytes) -> str: ...
    def put_many(self, items: list[bytes]) -> list[str]: ...
    def get(self, sha256: str) -> bytes: ...
    def get_many(self, digests: list[str]) -> dict[str, bytes]: ...
    def exists(self, sha256: str) -> bool: ...
    def sweep_incoming(self, *, older_than_seconds: float = 3600) -> int: ...
    def probe(self) -> None: ...
    def digests(self) -> Iterator[str]: ...


#: what the health probe writes and reads back
PROBE = b"qujat health probe"


class BlobStore:
    kind = "directory"

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_of(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=INCOMING)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return sha256

    def put_many(self, items: list[bytes]) -> list[str]:
        return [self.put(data) for data in items]

    def get(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def get_many(self, digests: list[str]) -> dict[str, bytes]:
        return {sha256: self.get(sha256) for sha256 in digests}

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def sweep_incoming(self, *, older_than_seconds: float = 3600) -> int:
        """Remove the half-written temporary files of processes killed mid-write (nothing
        refers to them: a blob exists only once renamed into place). Files younger than
        ``older_than_seconds`` may still be in flight and stay. Returns how many went."""
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.root.glob(f"??/??/{INCOMING}*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # another worker swept it first
                continue
        return removed

    def probe(self) -> None:
        """Raises OSError unless the directory takes a file and gives it back (for
        /healthz); the file is named as a blob being written, so a sweep removes one a
        crash left behind."""
        self.root.mkdir(parents=True, exist_ok=True)  # made at the first blob otherwise
        fd, path = tempfile.mkstemp(dir=self.root, prefix=INCOMING + "health-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(PROBE)
            with open(path, "rb") as handle:
                if handle.read() != PROBE:
                    raise OSError("the blob store reads back wrong")
        finally:
            os.unlink(path)

    def digests(self) -> Iterator[str]:
        """Every blob's SHA-256, in order (backup)."""
        found = (p.name for p in self.root.glob("??/??/*") if not p.name.startswith(INCOMING))
        yield from sorted(found)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
