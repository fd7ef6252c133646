"""The blob store: durable, content-addressed, and clean after a process killed mid-write."""

from __future__ import annotations

import hashlib
import os
import time

from app.documents.blobstore import INCOMING, BlobStore


def test_a_blob_is_stored_under_its_hash_and_read_back(tmp_path):
    store = BlobStore(tmp_path)

    digest = store.put(b"signed bytes")

    assert digest == hashlib.sha256(b"signed bytes").hexdigest()
    assert store.get(digest) == b"signed bytes" and store.exists(digest)
    assert store.put(b"signed bytes") == digest  # the same bytes again: harmless


def test_the_sweep_removes_what_a_killed_writer_left_and_nothing_in_flight(tmp_path):
    store = BlobStore(tmp_path)
    kept = store.put(b"a document")
    folder = store.path_of(kept).parent
    left_behind = folder / f"{INCOMING}abandoned"
    left_behind.write_bytes(b"half a docu")
    an_hour_and_more_ago = time.time() - 3700
    os.utime(left_behind, (an_hour_and_more_ago, an_hour_and_more_ago))
    in_flight = folder / f"{INCOMING}writing-now"
    in_flight.write_bytes(b"being writ")

    assert store.sweep_incoming() == 1

    assert not left_behind.exists()
    assert in_flight.exists()
    assert store.get(kept) == b"a document"
