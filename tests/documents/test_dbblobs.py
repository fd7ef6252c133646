"""Blobs in the database: written in the transaction of the rows that name them, so a
rollback leaves no orphan; kept in parts; the old directory still read."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from app.documents.blobstore import BlobStore
from app.documents.dbblobs import PART_BYTES, BlobPart, DatabaseBlobStore
from app.documents.storage import choose_store
from app.errors import ConfigError


def test_a_blob_comes_back_whole_from_its_parts(db_session):
    store = DatabaseBlobStore()
    big = bytes(range(256)) * (PART_BYTES * 5 // 2 // 256)  # two and a half parts
    digest = store.put(big)
    assert digest == hashlib.sha256(big).hexdigest()
    assert db_session.scalar(select(func.count()).where(BlobPart.sha256 == digest)) == 3
    assert store.get(digest) == big
    assert store.put(big) == digest  # the same bytes again: harmless
    assert store.get(store.put(b"")) == b""
    assert store.exists(digest)
    assert digest in set(store.digests())


def test_a_rollback_takes_the_blob_with_the_row(db_session):
    store = DatabaseBlobStore()
    kept = store.put(b"committed with its row")
    db_session.commit()
    gone = store.put(b"written by a request that then failed")
    db_session.rollback()
    assert store.exists(kept)
    assert not store.exists(gone)
    with pytest.raises(FileNotFoundError):
        store.get(gone)


def test_blobs_of_the_old_directory_are_still_read(db_session, tmp_path):
    directory = BlobStore(tmp_path)
    old = directory.put(b"stored before the move to the database")
    store = DatabaseBlobStore(legacy=directory)
    assert store.exists(old)
    assert store.get(old) == b"stored before the move to the database"


def test_the_directorys_blobs_are_imported_once(app, tmp_path):
    from app.extensions import db

    directory = BlobStore(tmp_path)
    digests = {directory.put(f"old blob {n}".encode()) for n in range(3)}
    with app.app_context():
        store = DatabaseBlobStore(legacy=directory)
        store.put(b"old blob 0")  # already in
        assert store.import_directory() == 2
        assert store.import_directory() == 0
        store.legacy = None
        assert all(store.exists(d) for d in digests)
        db.session.rollback()


def test_the_store_follows_the_setting(tmp_path):
    assert choose_store("auto", dialect="postgresql", blob_dir=str(tmp_path)).kind == "database"
    assert choose_store("auto", dialect="sqlite", blob_dir=str(tmp_path)).kind == "directory"
    assert choose_store("database", dialect="sqlite", blob_dir=str(tmp_path)).kind == "database"
    assert choose_store("directory", dialect="postgresql",
                        blob_dir=str(tmp_path)).kind == "directory"
    with pytest.raises(ConfigError, match="QUJAT_BLOB_STORE"):
        choose_store("s3", dialect="postgresql", blob_dir=str(tmp_path))
