"""``qujat backup DIR`` and ``qujat restore DIR``: the database and its blobs, consistent
with each other, in a form either database takes back.

A backup is a directory:

- ``tables/<table>.jsonl``: every row of every table, one JSON object a line (bytes in
  base64, times in ISO 8601 with their zone), read from one snapshot of the database: a
  REPEATABLE READ, READ ONLY transaction on PostgreSQL, a copy made with SQLite's backup
  API on SQLite, so no row of the backup misses another it refers to;
- ``blobs/ab/cd/<sha256>``: every blob, each file named by the SHA-256 of its bytes
  (checked when written and when read back): those of the database's ``blobs`` table from
  the same snapshot, and the blob directory's, copied after the snapshot (a blob is
  written before the row that names it commits, so every row of the snapshot finds its
  bytes);
- ``manifest.json``, written last: the schema revision, each table's row count and the
  SHA-256 of its file, the number of blobs. A directory without it is not a backup.

``restore`` fills an EMPTY database (it upgrades the schema first and refuses one with
rows, or a backup of another revision) in one transaction, puts the blobs into the
running store (the table, or the directory), moves PostgreSQL's sequences past the
restored ids, then checks what it restored: every document's bytes against its SHA-256
and its signature again as of its receipt (``app.intake.recheck``), every attachment's and
reply file's bytes present.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, create_engine, func, select, text

from app.documents.blobstore import Blobs, BlobStore
from app.documents.counts import DocumentStateCount
from app.documents.dbblobs import BlobPart
from app.documents.models import Attachment, Document
from app.execution.models import DraftFile
from app.extensions import db
from app.intake.recheck import recheck
from app.org.tree import DepartmentTreeStamp
from app.timeutil import utcnow
from app.xmlsig.policy import TrustPolicy

FORMAT = "qujat-backup/1"
MANIFEST = "manifest.json"
#: not rows of the product: the schema's revision (in the manifest) and the blobs (files);
#: the counts per state, which the documents' triggers write again as they are restored;
#: the department tree's stamp, which the departments' trigger writes anew
_NOT_DUMPED = {BlobPart.__tablename__, DocumentStateCount.__tablename__,
               DepartmentTreeStamp.__tablename__}
_BATCH = 500


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass
class Restored:
    tables: dict[str, int]
    blobs: int
    documents: int = 0
    #: what the check after the restore found wrong, one line each
    problems: list[str] = field(default_factory=list)


# --- values to JSON and back --------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$b64":
            return base64.b64decode(raw)
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
    return value


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in _NOT_DUMPED]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- backup ---------------------------------------------------------------------------------


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection that sees one moment of the whole database."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        source = engine.url.database
        if not source:
            raise BackupError("an in-memory SQLite database has nothing to back up")
        with tempfile.TemporaryDirectory(prefix="qujat-backup-") as scratch:
            copy = Path(scratch) / "snapshot.db"
            with sqlite3.connect(source) as live, sqlite3.connect(copy) as target:
                live.backup(target)  # SQLite's online backup: one consistent copy
            snapshot = create_engine(f"sqlite:///{copy}")
            try:
                with snapshot.connect() as connection:
                    yield connection
            finally:
                snapshot.dispose()
        return
    with engine.connect() as connection:
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        try:
            yield connection
        finally:
            connection.rollback()


def backup(directory: Path, *, store: Blobs) -> dict[str, Any]:
    """Write a backup of the database and the blobs into ``directory`` (new or empty);
    returns the manifest."""
    from app.setup import current_revision

    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; a backup goes into a new directory")
    (directory / "tables").mkdir(parents=True, exist_ok=True)
    files = BlobStore(directory / "blobs")
    tables: dict[str, dict[str, Any]] = {}
    with _snapshot() as connection:
        for table in _tables():
            path = directory / "tables" / f"{table.name}.jsonl"
            rows = 0
            with path.open("w", encoding="utf-8") as out:
                ordered = select(table).order_by(*table.primary_key.columns)
                for row in connection.execution_options(yield_per=_BATCH).execute(ordered):
                    out.write(json.dumps({k: _encode(v) for k, v in row._mapping.items()},
                                         ensure_ascii=False, separators=(",", ":")))
                    out.write("\n")
                    rows += 1
                out.flush()
                os.fsync(out.fileno())
            tables[table.name] = {"rows": rows, "sha256": _file_sha256(path)}
        blobs = set(_table_blobs(connection, files))
    # after the snapshot: every blob its rows name was written before they committed
    for directory_store in _directories(store):
        for digest in directory_store.digests():
            if digest not in blobs:
                files.put(directory_store.get(digest))
                blobs.add(digest)
    manifest = {"format": FORMAT, "revision": current_revision(), "made_at": utcnow().isoformat(),
                "database": db.engine.dialect.name, "tables": tables, "blobs": len(blobs)}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _table_blobs(connection: Connection, files: BlobStore) -> Iterator[str]:
    """The blobs table's blobs, put together from their parts and written as files."""
    rows = connection.execution_options(yield_per=16).execute(
        select(BlobPart.sha256, BlobPart.data).order_by(BlobPart.sha256, BlobPart.part))
    current, parts = None, []
    for sha256, data in rows:
        if sha256 != current and current is not None:
            yield _write_blob(files, current, parts)
            parts = []
        current = sha256
        parts.append(data)
    if current is not None:
        yield _write_blob(files, current, parts)


def _write_blob(files: BlobStore, sha256: str, parts: list[bytes]) -> str:
    written = files.put(b"".join(parts))
    if written != sha256:
        raise BackupError(f"the blob {sha256} in the database has the SHA-256 {written}")
    return written


def _directories(store: Blobs) -> list[BlobStore]:
    found = [store] if isinstance(store, BlobStore) else [getattr(store, "legacy", None)]
    return [s for s in found if isinstance(s, BlobStore) and s.root.is_dir()]


# --- restore --------------------------------------------------------------------------------


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: not a (complete) backup")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of this kind ({manifest.get('format')!r})")
    return manifest


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield {k: _decode(v) for k, v in json.loads(line).items()}


def restore(directory: Path, *, store: Blobs, policy: TrustPolicy) -> Restored:
    """Restore the backup in ``directory`` into this app's empty database and store,
    then check it (``Restored.problems`` empty when everything holds)."""
    from app.setup import upgrade_schema

    manifest = _read_manifest(directory)
    revision = upgrade_schema()
    if manifest["revision"] != revision:
        raise BackupError(f"the backup is of schema revision {manifest['revision']}, this "
                          f"Qujat's is {revision}: restore it with the version that made it, "
                          "then upgrade")
    tables = _tables()
    for table in tables:
        if db.session.scalar(select(func.count()).select_from(table)):
            raise BackupError(f"the database is not empty (table {table.name} has rows): "
                              "restore into an empty one")
    for table in tables:
        entry = manifest["tables"].get(table.name)
        path = directory / "tables" / f"{table.name}.jsonl"
        if entry is None or not path.is_file() or _file_sha256(path) != entry["sha256"]:
            raise BackupError(f"{path} is missing or differs from the manifest")
    counts = _insert_rows(directory, tables)
    blobs = _put_blobs(directory / "blobs", store)
    if blobs != manifest["blobs"]:
        raise BackupError(f"the backup holds {blobs} blobs, its manifest says "
                          f"{manifest['blobs']}")
    _move_sequences(tables)
    db.session.commit()
    restored = Restored(tables=counts, blobs=blobs)
    check(restored, store=store, policy=policy)
    return restored


def _insert_rows(directory: Path, tables: list[Table]) -> dict[str, int]:
    """Every table in the order of its foreign keys; a reference to a table not yet
    filled (a cycle, or a row's parent in the same table) is set afterwards."""
    done: set[str] = set()
    later: list[tuple[Table, list[str], list[dict[str, Any]]]] = []
    counts: dict[str, int] = {}
    for table in tables:
        deferred = [fk.parent.name for fk in table.foreign_keys
                    if fk.parent.nullable and (fk.column.table is table
                                               or fk.column.table.name not in done)]
        keys = [c.name for c in table.primary_key.columns]
        counts[table.name] = 0
        batch: list[dict[str, Any]] = []
        fixes: list[dict[str, Any]] = []
        for row in _rows(directory / "tables" / f"{table.name}.jsonl"):
            if deferred and any(row.get(name) is not None for name in deferred):
                fixes.append({**{f"k_{k}": row[k] for k in keys},
                              **{f"v_{n}": row[n] for n in deferred}})
                row = {**row, **dict.fromkeys(deferred)}
            batch.append(row)
            if len(batch) == _BATCH:
                db.session.execute(table.insert(), batch)
                counts[table.name] += len(batch)
                batch = []
        if batch:
            db.session.execute(table.insert(), batch)
            counts[table.name] += len(batch)
        if fixes:
            later.append((table, keys, fixes))
        done.add(table.name)
    for table, keys, fixes in later:
        names = [n[2:] for n in fixes[0] if n.startswith("v_")]
        statement = (table.update()
                     .where(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
                     .values({n: bindparam(f"v_{n}") for n in names}))
        db.session.execute(statement, fixes)
    return counts


def _put_blobs(root: Path, store: Blobs) -> int:
    files = BlobStore(root)
    count = 0
    for digest in files.digests() if root.is_dir() else ():
        data = files.get(digest)
        if hashlib.sha256(data).hexdigest() != digest:
            raise BackupError(f"the blob file {digest} does not hold the bytes of its name")
        store.put(data)
        count += 1
    return count


def _move_sequences(tables: list[Table]) -> None:
    """PostgreSQL hands out ids from sequences: move each past the restored rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto"
                                                and column.type.python_type is int
                                                and len(table.primary_key.columns) == 1):
                sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                             {"t": table.name, "c": column.name})
                if sequence:
                    db.session.execute(
                        text(f'SELECT setval(:s, coalesce((SELECT max("{column.name}") '
                             f'FROM "{table.name}"), 0) + 1, false)'), {"s": sequence})


# --- the check after a restore --------------------------------------------------------------


def check(restored: Restored, *, store: Blobs, policy: TrustPolicy) -> None:
    """Every document's bytes and signature again; every file's bytes present."""
    for document in db.session.scalars(select(Document).order_by(Document.id)):
        restored.documents += 1
        try:
            raw = store.get(document.raw_sha256)
        except FileNotFoundError:
            restored.problems.append(f"document {document.id}: its bytes are missing")
            continue
        if (problem := recheck(document, raw, policy=policy)) is not None:
            restored.problems.append(f"document {document.id}: {problem}")
    for kind, model in (("attachment", Attachment), ("reply file", DraftFile)):
        for item_id, sha256 in db.session.execute(select(model.id, model.sha256)):
            if not store.exists(sha256):
                restored.problems.append(f"{kind} {item_id}: its bytes are missing")
    db.session.rollback()


def remove_incomplete(directory: Path) -> None:
    """What a failed backup left behind (no manifest: never taken for a backup)."""
    if directory.is_dir() and not (directory / MANIFEST).exists():
        shutil.rmtree(directory)
