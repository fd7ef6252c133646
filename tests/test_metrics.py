"""GET /metrics: Prometheus' text format behind a bearer token; intake counted by verdict
with its latency, marks waiting and failing read from the database, every CRL's age,
and when the timed jobs last ran."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from app.extensions import db
from app.marks.models import Mark
from app.timeutil import utcnow

TOKEN = "scrape-me-0123456789"


@pytest.fixture
def scrape(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QUJAT_METRICS_TOKEN", TOKEN)

    def read() -> dict[tuple[str, tuple], float]:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        assert response.content_type.startswith("text/plain; version=")
        return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
                for family in text_string_to_metric_families(response.text)
                for sample in family.samples}

    return read


def _value(figures, name, **labels) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_without_a_token_in_the_settings(client):
    assert client.get("/metrics").status_code == 404


def test_a_scrape_without_the_token_is_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QUJAT_METRICS_TOKEN", TOKEN)
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")


def test_intake_is_counted_by_verdict_with_its_latency(scrape, portal):
    before = scrape()
    assert portal.send("appeal").status_code == 202
    assert portal.send("appeal", key="individual_auth").status_code == 202  # wrong key
    assert portal.post(b"<not-xml", token="no-such-token").status_code == 401
    after = scrape()

    def grew(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("qujat_intake_total", verdict="PASSED", status="202") == 1
    assert grew("qujat_intake_total", verdict="FAILED", status="202") == 1
    assert grew("qujat_intake_total", verdict="unauthenticated", status="401") == 1
    assert grew("qujat_intake_seconds_count") == 3
    assert grew("qujat_intake_seconds_sum") > 0
    assert grew("qujat_intake_seconds_bucket", le="+Inf") == 3


def test_marks_waiting_and_failing_come_from_the_database(scrape, portal, db_session):
    for _ in range(3):
        assert portal.send("appeal").status_code == 202
    marks = db_session.scalars(select(Mark).order_by(Mark.id.desc()).limit(3)).all()
    marks[0].next_attempt_at = utcnow()  # waiting, not tried yet
    marks[1].next_attempt_at = utcnow()  # waiting after a failed push
    marks[1].attempts = 2
    marks[2].given_up_at = utcnow()  # given up
    marks[2].attempts = 9
    db_session.commit()
    figures = scrape()
    assert figures[("qujat_marks_waiting", ())] == 2
    assert figures[("qujat_marks_failing", ())] == 1
    assert figures[("qujat_marks_given_up", ())] == 1
    assert figures[("qujat_marks_oldest_waiting_seconds", ())] >= 0


def test_every_crl_has_its_age_and_time_to_next_update(scrape, app):
    figures = scrape()
    ages = {labels: value for (name, labels), value in figures.items()
            if name == "qujat_crl_age_seconds"}
    crls = len(app.config["QUJAT_CRLS"]) + len(app.config["QUJAT_OFFICIAL_CRLS"])
    assert len(ages) == crls
    assert {dict(labels)["policy"] for labels in ages} == {"citizens", "officials"}
    assert all(age >= 0 for age in ages.values())
    left = [value for (name, _), value in figures.items()
            if name == "qujat_crl_next_update_seconds"]
    assert len(left) == crls and all(value > 0 for value in left)


def test_the_last_daily_checkpoint_is_the_checkpoint_jobs_last_run(scrape, db_session):
    from app.audit.service import seal_and_sign

    assert _value(scrape(), "qujat_job_last_run_timestamp_seconds",
                  job="audit.checkpoint") == 0
    checkpoint = seal_and_sign(reason="daily")
    db.session.commit()
    figures = scrape()
    assert _value(figures, "qujat_job_last_run_timestamp_seconds",
                  job="audit.checkpoint") == pytest.approx(checkpoint.at.timestamp())
    assert ("qujat_job_last_run_timestamp_seconds", (("job", "marks.deliver"),)) in figures


def test_a_job_run_recorded_under_its_lease_is_its_last_run(scrape, db_session):
    from app.scheduling.models import JobRun, RunOutcome

    finished = utcnow().replace(microsecond=0)
    db.session.add(JobRun(job_id="blobs.sweep_incoming", last_finished_at=finished,
                          last_outcome=RunOutcome.OK))
    db.session.add(JobRun(job_id="audit.seal", last_finished_at=finished,
                          last_outcome=RunOutcome.FAILED))
    db.session.commit()

    figures = scrape()

    assert _value(figures, "qujat_job_last_run_timestamp_seconds",
                  job="blobs.sweep_incoming") == pytest.approx(finished.timestamp())
    # a failed run did not do the job's work
    assert _value(figures, "qujat_job_last_run_timestamp_seconds", job="audit.seal") == 0


def test_the_queued_documents_waiting_for_the_worker_are_counted(scrape, portal, app):
    import dataclasses

    from app.documents.storage import blob_store
    from app.intake.queue import verify_queued
    from app.trust import current_policy

    settings = app.extensions["qujat.settings"]
    app.extensions["qujat.settings"] = dataclasses.replace(settings, intake_mode="queued")
    try:
        before = scrape()
        assert _value(before, "qujat_intake_pending") == 0
        assert _value(before, "qujat_intake_oldest_pending_seconds") == 0
        for _ in range(2):
            assert portal.send("appeal").json["state"] == "pending"
        waiting = scrape()
        assert _value(waiting, "qujat_intake_pending") == 2
        assert _value(waiting, "qujat_intake_oldest_pending_seconds") >= 0
        assert _value(waiting, "qujat_intake_total", verdict="pending", status="202") - \
            _value(before, "qujat_intake_total", verdict="pending", status="202") == 2
        with app.app_context():
            verify_queued(policy=current_policy(), store=blob_store(), batch=10,
                          clock=utcnow)
        assert _value(scrape(), "qujat_intake_pending") == 0
    finally:
        app.extensions["qujat.settings"] = settings
