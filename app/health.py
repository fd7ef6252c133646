"""``GET /healthz``: whether this process can do its work, for a load balancer.

No login, no personal data, no paths or error texts (they are logged): each check says
"ok" or what is wrong in a few words. 200 when every check passes, else 503.

- database: a ``SELECT 1`` answers
- blobs: the blob store's directory takes a file and gives it back (or, in the
  database, its table answers)
- trust: the citizens' trust store is loaded with its anchors (and the officials' when
  configured)
- crls: every CRL of both policies is before its nextUpdate; a stale one is named by its
  issuer and the time it was due
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.documents.storage import blob_store
from app.extensions import csrf, db
from app.timeutil import utcnow
from app.xmlsig.names import short
from app.xmlsig.revocation import RevocationIndex

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

def _database() -> dict[str, Any]:
    try:
        db.session.execute(text("SELECT 1"))
        return {"status": "ok"}
    except Exception:
        log.exception("health: the database does not answer")
        return {"status": "failing", "problem": "the database does not answer"}
    finally:
        db.session.rollback()


def _blobs() -> dict[str, Any]:
    try:
        blob_store().probe()
        return {"status": "ok", "store": blob_store().kind}
    except Exception:
        log.exception("health: the blob store does not answer")
        return {"status": "failing", "problem": "the blob store is not writable"}
    finally:
        db.session.rollback()  # the database store reads in the session


def _policies() -> list[Any]:
    state = current_app.extensions.get("qujat.trust")
    if state is None:
        return []
    return [p for p in (state.policy, state.official_policy) if p is not None]


def _trust() -> dict[str, Any]:
    state = current_app.extensions.get("qujat.trust")
    if state is None or state.policy is None or not state.policy.anchors:
        return {"status": "failing", "problem": "the trust store is not loaded"}
    return {"status": "ok", "anchors": sum(len(p.anchors) for p in _policies())}


def _crls() -> dict[str, Any]:
    now = utcnow()
    indexes = [c for p in _policies() for c in p.crls if isinstance(c, RevocationIndex)]
    stale = [{"issuer": short(c.issuer), "next_update": c.next_update.isoformat()}
             for c in indexes if c.is_stale(at=now)]
    if stale:
        return {"status": "failing", "problem": "stale CRLs", "stale": stale}
    return {"status": "ok", "count": len(indexes)}


@bp.get("/healthz")
@csrf.exempt
def healthz():
    checks = {"database": _database(), "blobs": _blobs(), "trust": _trust(),
              "crls": _crls()}
    failing = sorted(name for name, check in checks.items() if check["status"] != "ok")
    body: dict[str, Any] = {"status": "failing" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    response = jsonify(body)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response
