"""Processes that build the app once and fork workers from it (``tanggap.prefork``): gunicorn's
master, which imports ``tanggap.wsgi`` (``preload_app``), and RQ's ``AppWorker``. Each sets the
app aside from the garbage collector's full scans (``tanggap.heap``) and compiles every
template before its first fork."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WEB = "import gc, tanggap.wsgi; print(gc.get_freeze_count())"
#: What gunicorn's master does with the shipped settings once it has built the app.
MASTER = """
import gc, runpy, types
import tanggap.wsgi
settings = runpy.run_path("%s")
environment = tanggap.wsgi.app.jinja_env
before = len(environment.cache), gc.get_freeze_count()
settings["when_ready"](types.SimpleNamespace(app=types.SimpleNamespace(wsgi=lambda: tanggap.wsgi.app)))
print(*before, len(environment.cache), len(environment.list_templates()), gc.get_freeze_count())
""" % (ROOT / "deploy" / "gunicorn.conf.py")
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


def test_a_web_worker_settles_its_heap_once_the_app_is_built(tmp_path):
    [frozen] = _run(WEB, tmp_path)
    assert frozen > 50_000  # the app's objects: modules, mappers, catalogues, templates


def test_gunicorns_master_compiles_every_template_before_it_forks_a_worker(tmp_path):
    compiled_before, frozen_before, compiled, templates, frozen = _run(MASTER, tmp_path)
    assert compiled_before == 0  # importing the app (as flask's commands do) compiles none
    assert templates > 50 and compiled == templates  # every page and message, before any request
    assert frozen > frozen_before  # and the compiled templates are settled with the rest


def test_a_job_worker_compiles_and_settles_before_its_first_fork(tmp_path, own_redis):
    before, after, compiled, templates = _run(JOBS, tmp_path, REDIS_URL=own_redis.url)
    assert before == 0 and after > 50_000
    assert templates > 50 and compiled == templates  # each horse renders its messages from the parent's
