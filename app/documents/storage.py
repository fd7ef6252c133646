"""The app's blob store, opened once at start-up: the database's ``blobs`` table or the
fsync'ed directory, as ``QUJAT_BLOB_STORE`` says (``auto``: the table on PostgreSQL,
where several machines share it, the directory on SQLite)."""

from __future__ import annotations

from flask import Flask, current_app

from app.documents.blobstore import Blobs, BlobStore
from app.documents.dbblobs import DatabaseBlobStore
from app.errors import ConfigError
from app.extensions import db
from app.settings import current_settings

KINDS = ("auto", "database", "directory")


def choose_store(kind: str, *, dialect: str, blob_dir: str) -> Blobs:
    if kind not in KINDS:
        raise ConfigError(f"QUJAT_BLOB_STORE must be one of {', '.join(KINDS)}, not {kind!r}",
                          setting="QUJAT_BLOB_STORE")
    directory = BlobStore(blob_dir)
    if kind == "database" or (kind == "auto" and dialect == "postgresql"):
        return DatabaseBlobStore(legacy=directory)
    return directory


def init_blob_store(app: Flask) -> None:
    with app.app_context():
        app.extensions["qujat.blobs"] = choose_store(
            str(app.config.get("QUJAT_BLOB_STORE") or "auto").lower(),
            dialect=db.engine.dialect.name, blob_dir=current_settings().blob_dir)


def blob_store() -> Blobs:
    """The running app's store (for views, jobs and commands, not for services)."""
    return current_app.extensions["qujat.blobs"]
