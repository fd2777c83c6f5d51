"""``/healthz`` and ``/readyz``: JSON a load balancer and monitoring read, no session, no secrets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from rq import Queue, Worker

from tanggap import clock
from tanggap.alerts.tasks import SWEEP_FINISHED_KEY, sweep_job

from .faults.conftest import own_redis  # noqa: F401 (a Redis server of the test's own)
from .notifications.conftest import PrivateRedis


@pytest.fixture
def inline(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The embedded default: no Redis, jobs run in the web process."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    monkeypatch.delitem(app.extensions, "tanggap.redis", raising=False)
    return app


@pytest.fixture
def with_redis(app: Flask, monkeypatch: pytest.MonkeyPatch, own_redis: PrivateRedis) -> Iterator[Flask]:  # noqa: F811
    """Production's arrangement: Redis, a worker and ``rq cron`` are expected to be there."""
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    monkeypatch.delitem(app.extensions, "tanggap.redis", raising=False)
    yield app
    app.extensions.pop("tanggap.redis", None)


def test_healthz_answers_without_touching_anything(app, visitor):
    response = visitor.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "alive"}
    assert "Set-Cookie" not in response.headers
    assert response.cache_control.no_store


def test_readyz_on_the_embedded_default_checks_the_database_and_its_migrations(inline, visitor):
    response = visitor.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {
        "status": "ready",
        "checks": {"database": "ok", "files": "ok", "redis": "inline", "worker": "inline", "sweep": "inline"},
    }
    assert "Set-Cookie" not in response.headers


def test_readyz_refuses_traffic_when_the_schema_is_behind_the_code(inline, visitor, monkeypatch):
    monkeypatch.setitem(inline.extensions, "tanggap.migration_heads", {"a-revision-not-yet-applied"})
    response = visitor.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "migrations behind"


def test_readyz_names_an_unreachable_database_without_its_address(inline, visitor, monkeypatch):
    url = str(inline.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setitem(inline.extensions, "tanggap.migration_heads", None)

    def refused(*args, **kwargs):
        raise ConnectionRefusedError(f"could not connect to {url}")

    monkeypatch.setattr("tanggap.health.MigrationContext.configure", refused)
    response = visitor.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unreachable"
    assert url not in response.get_data(as_text=True)


def test_readyz_names_an_unreachable_file_store_without_its_address(inline, visitor, monkeypatch):
    from tanggap import filestore

    nobody = filestore.from_url("s3://tanggap-files", endpoint_url="http://127.0.0.1:9")  # nothing listens
    monkeypatch.setitem(inline.extensions, "tanggap.filestore", nobody)
    response = visitor.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["files"] == "unreachable"
    assert "127.0.0.1:9" not in response.get_data(as_text=True) and "tanggap-files" not in response.get_data(as_text=True)


def test_readyz_with_redis_wants_a_live_worker_and_a_recent_sweep(with_redis, visitor, own_redis):  # noqa: F811
    response = visitor.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "files": "ok", "redis": "ok", "worker": "no worker",
                                             "sweep": "never run"}
    assert own_redis.url not in response.get_data(as_text=True)

    from tanggap import jobs

    with with_redis.app_context():
        connection = jobs.redis_connection()
        worker = Worker([Queue("default", connection=connection)], connection=connection)
        worker.register_birth()
        sweep_job()
    try:
        response = visitor.get("/readyz")
        assert response.status_code == 200, response.json
        assert response.json["checks"] == {"database": "ok", "files": "ok", "redis": "ok", "worker": "ok", "sweep": "ok"}

        long_ago = clock.now() - timedelta(minutes=10)
        connection.set(SWEEP_FINISHED_KEY, long_ago.isoformat())
        connection.hset(worker.key, "last_heartbeat", long_ago.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        response = visitor.get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["worker"] == "stale"
        assert response.json["checks"]["sweep"] == "stale"
    finally:
        worker.register_death()


def test_readyz_says_when_redis_is_down(with_redis, visitor, own_redis):  # noqa: F811
    own_redis.stop()
    response = visitor.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "files": "ok", "redis": "unreachable"}
