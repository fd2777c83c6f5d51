"""Worker processes set the app they built aside from the garbage collector's full scans
(``tanggap.heap``): gunicorn's, which import ``tanggap.wsgi``, and RQ's ``AppWorker``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WEB = "import gc, tanggap.wsgi; print(gc.get_freeze_count())"
JOBS = """
import gc, os
from redis import Redis
from rq import Queue
from tanggap.jobs import AppWorker
connection = Redis.from_url(os.environ["REDIS_URL"])
before = gc.get_freeze_count()
AppWorker([Queue("default", connection=connection)], connection=connection)
print(before, gc.get_freeze_count())
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


def test_a_job_worker_settles_its_heap_before_its_first_fork(tmp_path, own_redis):
    before, after = _run(JOBS, tmp_path, REDIS_URL=own_redis.url)
    assert before == 0 and after > 50_000
