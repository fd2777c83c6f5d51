"""An app of a test's own, on a SQLite file other processes can open (a real RQ worker),
with a Redis of its own that the test may stop, and the shipped offices loaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from tanggap import create_app
from tanggap.extensions import db, limiter

from ..notifications.conftest import PrivateRedis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_app(app: Flask, tmp_path: Path, own_redis: PrivateRedis) -> Iterator[Flask]:
    """The production arrangement in small: jobs go to Redis, limits are counted there."""
    from tanggap.jobs import use_app

    database = tmp_path / "own.db"
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "faults", "REDIS_URL": own_redis.url,
              "RATELIMIT_STORAGE_URI": own_redis.url, "JOBS_SYNC": False, "MAIL_SUPPRESS_SEND": True,
              "FILE_STORE": str(tmp_path), "MAIL_FOLDER": str(tmp_path / "mail")}
    suite_app, app = app, create_app(config)
    app.config["FAULTS_ENV"] = {"DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": own_redis.url,
                                "SECRET_KEY": "faults", "TANGGAP_INSTANCE_PATH": str(tmp_path)}
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["tenants", "load", str(ROOT / "tenants")])
        assert result.exit_code == 0, result.output
    use_app(app)
    yield app
    use_app(None)
    with app.app_context():
        db.engine.dispose()
    limiter.init_app(suite_app)  # one Limiter serves every app: give it back the suite's storage


def start_worker(app: Flask, *, mail_port: int) -> subprocess.Popen:
    """A real ``rq worker`` process, as the Procfile runs it, against the test's app and Redis."""
    env = {**os.environ, **app.config["FAULTS_ENV"], "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mail_port),
           "PYTHONPATH": str(ROOT / "platform")}
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--worker-class", "tanggap.jobs.AppWorker",
                             "--url", env["REDIS_URL"], "--burst", "notifications"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
