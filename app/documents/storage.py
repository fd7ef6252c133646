"""The app's blob store, opened once at start-up."""

from flask import Flask, current_app

from app.documents.blobstore import BlobStore
from app.settings import current_settings


def init_blob_store(app: Flask) -> None:
    with app.app_context():
        app.extensions["qujat.blobs"] = BlobStore(current_settings().blob_dir)


def blob_store() -> BlobStore:
    """The running app's store (for views, jobs and commands, not for services)."""
    return current_app.extensions["qujat.blobs"]
