"""The app's blob store, configured once per app."""

from flask import current_app

from app.documents.blobstore import BlobStore


def blob_store() -> BlobStore:
    store = current_app.extensions.get("qujat.blobs")
    if store is None:
        store = current_app.extensions["qujat.blobs"] = BlobStore(
            current_app.config["QUJAT_BLOB_DIR"]
        )
    return store
