"""The operator's view: request ids in logs and jobs, and metrics only the operator reads."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask, g

from tanggap import clock, jobs, logs
from tanggap.extensions import db
from tanggap.notifications.models import Channel, OutboxMessage
from tanggap.tenancy.context import bound_to

from .faults.conftest import own_redis  # noqa: F401 (a Redis server of the test's own)
from .notifications.conftest import PrivateRedis


def test_every_answer_names_its_request_and_a_proxy_id_is_kept_only_when_well_formed(visitor):
    fresh = visitor.get("/healthz").headers["X-Request-ID"]
    assert len(fresh) == 32
    assert visitor.get("/healthz").headers["X-Request-ID"] != fresh

    kept = visitor.get("/healthz", headers={"X-Request-ID": "nginx-4f1c2b9a0e"})
    assert kept.headers["X-Request-ID"] == "nginx-4f1c2b9a0e"
    forged = visitor.get("/healthz", headers={"X-Request-ID": "x 2026-12-03 INFO forged line"})
    assert "forged" not in forged.headers["X-Request-ID"]


def test_a_json_log_line_carries_the_request_id():
    handler = logs.install_handler("json")
    try:
        record = logging.LogRecord("tanggap.test", logging.WARNING, __file__, 1, "sent %s", ("mail",), None)
        token = logs.request_id.set("abcdef0123456789")
        try:
            assert handler.filter(record)
        finally:
            logs.request_id.reset(token)
        line = json.loads(handler.format(record))
        assert line["level"] == "WARNING"
        assert line["logger"] == "tanggap.test"
        assert line["message"] == "sent mail"
        assert line["request_id"] == "abcdef0123456789"
    finally:
        logs.install_handler("text")


def test_a_job_carries_the_request_id_to_the_worker(app: Flask, monkeypatch, own_redis: PrivateRedis):  # noqa: F811
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    monkeypatch.setitem(app.config, "JOBS_SYNC", False)
    monkeypatch.delitem(app.extensions, "tanggap.redis", raising=False)
    try:
        with app.test_request_context("/"):
            token = logs.request_id.set("filing-0001-request")
            try:
                job = jobs.enqueue(print, "queued")
            finally:
                logs.request_id.reset(token)
        assert job.meta["request_id"] == "filing-0001-request"
    finally:
        app.extensions.pop("tanggap.redis", None)

    # On the worker (no app context of the caller's), the job logs under that id.
    monkeypatch.setattr(jobs, "get_current_job", lambda: SimpleNamespace(id="job-1", meta=job.meta))
    monkeypatch.setattr(jobs, "_worker_app", app)
    with jobs.app_context():
        assert logs.request_id.get() == "filing-0001-request"
    assert logs.request_id.get() is None


def test_metrics_answer_the_operators_network_only(visitor):
    visitor.get("/healthz")
    page = visitor.get("/metrics")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'tanggap_request_duration_seconds_bucket{endpoint="health.alive"' in text
    assert "tanggap_outbox_unsent 0.0" in text

    outsider = visitor.client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert outsider.status_code == 404


def test_metrics_show_the_outbox_backlog_and_its_oldest_message(app, make, ctx, visitor, travel):
    office = make.office_with_staff("dinas-alpha")
    travel(clock.now())
    with ctx(), bound_to(office.tenant):
        for minutes in (90, 5):
            db.session.add(OutboxMessage(key=f"test:{minutes}", channel=Channel.EMAIL, recipient="warga@example.id",
                                         subject="s", body="b", created_at=clock.now() - timedelta(minutes=minutes)))
        db.session.add(OutboxMessage(key="test:sent", channel=Channel.EMAIL, recipient="warga@example.id",
                                     subject="s", body="b", sent_at=clock.now()))
        db.session.commit()
        g.pop("outbox_committed")  # left unsent: no worker hands them over
    text = visitor.get("/metrics").get_data(as_text=True)
    assert "tanggap_outbox_unsent 2.0" in text
    oldest = next(line for line in text.splitlines() if line.startswith("tanggap_outbox_oldest_unsent_seconds "))
    assert float(oldest.split()[1]) == pytest.approx(90 * 60, abs=5)


def test_metrics_with_redis_count_each_queue(app, monkeypatch, visitor, own_redis: PrivateRedis):  # noqa: F811
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    monkeypatch.setitem(app.config, "JOBS_SYNC", False)
    monkeypatch.delitem(app.extensions, "tanggap.redis", raising=False)
    try:
        with app.test_request_context("/"):
            jobs.enqueue(print, "one", queue_name="reports")
            jobs.enqueue(print, "two", queue_name="reports")
        text = visitor.get("/metrics").get_data(as_text=True)
    finally:
        app.extensions.pop("tanggap.redis", None)
    assert 'tanggap_queue_jobs{queue="reports"} 2.0' in text
    assert 'tanggap_queue_jobs{queue="default"} 0.0' in text
    assert 'tanggap_queue_failed_jobs{queue="notifications"} 0.0' in text
