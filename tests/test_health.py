"""GET /healthz: 200 when the database, the blob store, the trust store and every CRL are
fine; 503 naming what is not."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from app.xmlsig.names import short


def test_healthy_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "blobs": "ok", "trust": "ok", "crls": "ok"}
    assert body["checks"]["crls"]["count"] == 8  # both families, both policies, CA and root


def test_a_stale_crl_is_503_and_named(app, client, monkeypatch):
    state = app.extensions["qujat.trust"]
    crls = list(state.policy.crls)
    due = datetime(2020, 1, 1, tzinfo=UTC)
    crls[0] = dataclasses.replace(crls[0], next_update=due)
    monkeypatch.setattr(state, "policy", dataclasses.replace(state.policy, crls=tuple(crls)))

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing" and body["failing"] == ["crls"]
    assert body["checks"]["crls"]["stale"] == [
        {"issuer": short(crls[0].issuer), "next_update": due.isoformat()}]
    assert body["checks"]["database"]["status"] == "ok"


def test_an_unwritable_blob_store_is_503(app, client, monkeypatch, tmp_path):
    from app.documents.blobstore import BlobStore

    (tmp_path / "a-file").write_bytes(b"")  # the store's directory can never be made
    monkeypatch.setitem(app.extensions, "qujat.blobs", BlobStore(tmp_path / "a-file" / "blobs"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["blobs"]
