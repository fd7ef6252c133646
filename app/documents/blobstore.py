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
from pathlib import Path

#: the prefix of a blob being written; one older than any write could take was left
#: behind by a process killed mid-write
INCOMING = ".incoming-"


class BlobStore:
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

    def get(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

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


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
