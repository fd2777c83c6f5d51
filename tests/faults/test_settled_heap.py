"""Processes that build the app once and fork workers from it (``tanggap.prefork``): gunicorn's
master, which imports ``tanggap.wsgi``, and RQ's ``AppWorker``. Each compiles every template
before forking and sets the app aside from the garbage collector's full scans (``tanggap.heap``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WEB = """
import gc, tanggap.wsgi
environment = tanggap.wsgi.app.jinja_env
print(gc.get_freeze_count(), len(environment.cache), len(environment.list_templates()))
"""
JOBS = """
import gc, os
from redis import Redis
from rq import Queue
from tanggap.jobs import AppWorker
connection = Redis.from_url(os.environ["REDIS_URL"])
before = gc.get_freeze_count()
worker = AppWorker([Queue("default", connection=connection)], connection=connection)
from tanggap.jobs import _worker_app_or_new
environment = _worker_app_or_new().jinja_env
print(before, gc.get_freeze_count(), len(environment.cache), len(environment.list_templates()))
"""


def _run(code: str, tmp_path: Path, **env: str) -> list[int]:
    """``code`` in a fresh interpreter on the embedded default; the numbers it prints."""
    outside = ("TEST_DATABASE_URL", "DATABASE_URL", "REDIS_URL")
    environ = {key: value for key, value in os.environ.items() if key not in outside}
    environ.update(TANGGAP_INSTANCE_PATH=str(tmp_path), PYTHONPATH=str(ROOT / "platform"), **env)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environ, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return [int(word) for word in done.stdout.split()]


def test_the_web_app_is_compiled_and_settled_once_built(tmp_path):
    frozen, compiled, templates = _run(WEB, tmp_path)
    assert frozen > 50_000  # the app's objects: modules, mappers, catalogues, templates
    assert templates > 50 and compiled == templates  # every page and message, before any request


def test_a_job_worker_compiles_and_settles_before_its_first_fork(tmp_path, own_redis):
    before, after, compiled, templates = _run(JOBS, tmp_path, REDIS_URL=own_redis.url)
    assert before == 0 and after > 50_000
    assert templates > 50 and compiled == templates  # each horse renders its messages from the parent's
