"""``GET /metrics``: what Prometheus scrapes, in its text format.

Two kinds of figures:

- counted by the processes that serve: intake requests by verdict and their latency.
  Under ``qujat serve`` each gunicorn process writes its counts to files in
  ``PROMETHEUS_MULTIPROC_DIR`` (``serve`` makes a fresh one unless given) and any
  process's /metrics sums them all; a process of its own (the development server) counts
  in memory.
- read at the scrape from where they are true: marks waiting, failing and given up (the
  database, so every machine says the same), the age of every CRL (this process's trust
  store) and when each timed job last ran (``app.jobs.last_runs``).

Access: a bearer token (``QUJAT_METRICS_TOKEN``), compared in constant time. Not
"localhost only": behind the reverse proxy every request comes from localhost, so that
would open /metrics to whoever reaches the proxy. Without a token /metrics is off (404).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select

from app.extensions import csrf, db
from app.timeutil import utcnow
from app.xmlsig.names import short
from app.xmlsig.revocation import RevocationIndex

bp = Blueprint("metrics", __name__)

#: the endpoint whose requests are counted by verdict
INTAKE_ENDPOINT = "intake.receive"

INTAKE = Counter(
    "qujat_intake", "Documents posted to the intake API, by verdict: the signature's "
    "indication when accepted (PASSED, FAILED, INDETERMINATE), else the refusal's code",
    ["verdict", "status"])
INTAKE_SECONDS = Histogram(
    "qujat_intake_seconds", "Time from a document's request to its answer",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))


def _verdict(response: Response) -> str:
    body = response.get_json(silent=True) if response.is_json else None
    if not isinstance(body, dict):
        return "unknown"
    if response.status_code == 202:
        if body.get("state") == "pending":  # queued: verified later by the worker
            return "pending"
        return str((body.get("verification") or {}).get("indication") or "unknown")
    return str(body.get("error") or "unknown")


def _count_intake(response: Response) -> Response:
    if request.endpoint == INTAKE_ENDPOINT:
        started = g.get("request_started")
        if started is not None:
            INTAKE_SECONDS.observe(time.perf_counter() - started)
        INTAKE.labels(verdict=_verdict(response), status=str(response.status_code)).inc()
    return response


class LiveFigures(Collector):
    """The gauges read at each scrape, in the scraping request's app context."""

    def collect(self) -> Iterator[Metric]:
        yield from _marks()
        yield from _queue()
        yield from _crls()
        yield from _jobs()


def _marks() -> Iterator[Metric]:
    from app.marks.models import Mark

    undelivered = Mark.delivered_at.is_(None)
    waiting = undelivered & Mark.given_up_at.is_(None) & Mark.next_attempt_at.is_not(None)
    row = db.session.execute(select(
        func.coalesce(func.sum(case((waiting, 1), else_=0)), 0),
        func.coalesce(func.sum(case((waiting & (Mark.attempts > 0), 1), else_=0)), 0),
        func.coalesce(func.sum(case((undelivered & Mark.given_up_at.is_not(None), 1),
                                    else_=0)), 0),
        func.min(case((waiting, Mark.created_at))),
    ).where(undelivered)).one()
    yield GaugeMetricFamily("qujat_marks_waiting",
                            "Status marks waiting to be pushed to their portal", int(row[0]))
    yield GaugeMetricFamily("qujat_marks_failing",
                            "Marks waiting whose last push failed (retried with back-off)",
                            int(row[1]))
    yield GaugeMetricFamily("qujat_marks_given_up",
                            "Marks no longer pushed after too many failures (still pullable)",
                            int(row[2]))
    oldest = row[3]
    yield GaugeMetricFamily(
        "qujat_marks_oldest_waiting_seconds", "Age of the oldest mark waiting (0: none)",
        (utcnow() - _aware(oldest)).total_seconds() if oldest is not None else 0.0)


def _queue() -> Iterator[Metric]:
    """The queued intake's documents the worker has not verified yet."""
    from app.documents.models import Document
    from app.documents.states import DocumentState

    count, oldest = db.session.execute(
        select(func.count(Document.id), func.min(Document.received_at))
        .where(Document.state == DocumentState.PENDING)).one()
    yield GaugeMetricFamily("qujat_intake_pending",
                            "Queued documents waiting for the worker's verification", int(count))
    yield GaugeMetricFamily(
        "qujat_intake_oldest_pending_seconds",
        "Age of the oldest document waiting for verification (0: none)",
        (utcnow() - _aware(oldest)).total_seconds() if oldest is not None else 0.0)


def _aware(value):
    # func.min over a CASE loses the column's type: SQLite hands back text
    from datetime import UTC, datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _crls() -> Iterator[Metric]:
    state = current_app.extensions.get("qujat.trust")
    age = GaugeMetricFamily("qujat_crl_age_seconds",
                            "Seconds since the CRL's thisUpdate", labels=["policy", "issuer"])
    left = GaugeMetricFamily("qujat_crl_next_update_seconds",
                             "Seconds until the CRL's nextUpdate (negative: stale, every "
                             "verification against it is INDETERMINATE)",
                             labels=["policy", "issuer"])
    now = utcnow()
    policies = {"citizens": getattr(state, "policy", None),
                "officials": getattr(state, "official_policy", None)}
    for name, policy in policies.items():
        for crl in getattr(policy, "crls", ()):
            if isinstance(crl, RevocationIndex):
                labels = [name, short(crl.issuer)]
                age.add_metric(labels, (now - crl.this_update).total_seconds())
                left.add_metric(labels, (crl.next_update - now).total_seconds())
    yield age
    yield left


def _jobs() -> Iterator[Metric]:
    from app.jobs import last_runs

    family = GaugeMetricFamily("qujat_job_last_run_timestamp_seconds",
                               "When each timed job last did its work (Unix time; 0: no "
                               "trace of a run)", labels=["job"])
    for job, at in sorted(last_runs().items()):
        family.add_metric([job], _aware(at).timestamp() if at is not None else 0.0)
    yield family


def _allowed() -> bool:
    token = current_app.config.get("QUJAT_METRICS_TOKEN")
    if not token:
        return False
    offered = request.headers.get("Authorization", "")
    return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


@bp.get("/metrics")
@csrf.exempt
def metrics():
    if not current_app.config.get("QUJAT_METRICS_TOKEN"):
        abort(404)
    if not _allowed():
        response = Response("a bearer token is needed\n", status=401, mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="qujat-metrics"'
        return response
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (INTAKE, INTAKE_SECONDS):
            registry.register(collector)
    registry.register(LiveFigures())
    try:
        body = generate_latest(registry)
    finally:
        db.session.rollback()
    response = Response(body, content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_metrics(app: Flask) -> None:
    app.after_request(_count_intake)
    app.register_blueprint(bp)

