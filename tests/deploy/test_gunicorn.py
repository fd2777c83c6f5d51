"""The web process as deployed: gunicorn with ``deploy/gunicorn.conf.py``, several workers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..notifications.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read().decode(), dict(answer.headers)


def _environment(tmp_path: Path, port: int, **settings: str) -> dict[str, str]:
    """The embedded default in ``tmp_path``, two workers on ``port``, migrated; nothing of the
    developer's own services."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "platform"), "TANGGAP_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/web.db", "PORT": str(port), "WEB_CONCURRENCY": "2", **settings}
    for name in {"REDIS_URL", "TEST_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"} - set(settings):
        env.pop(name, None)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return env


def _gunicorn(env: dict[str, str], *flags: str) -> subprocess.Popen:
    """gunicorn with the shipped settings (and ``flags``), once it answers."""
    server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", *flags, "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for _ in range(100):
        try:
            _get(f"http://127.0.0.1:{env['PORT']}/healthz")
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    server.communicate(timeout=30)
    pytest.fail("gunicorn did not start")


@pytest.mark.deploy
def test_gunicorn_serves_with_the_shipped_settings_and_metrics_count_every_worker(tmp_path):
    port = free_port()
    env = _environment(tmp_path, port, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"), TANGGAP_LOG_FORMAT="json")
    server = _gunicorn(env)
    try:
        base = f"http://127.0.0.1:{port}"
        pattern = re.compile(r'tanggap_request_duration_seconds_count\{endpoint="health.alive",method="GET",'
                             r'status="200"\} (\S+)')

        def served() -> float:
            status, text, _ = _get(f"{base}/metrics")
            assert status == 200
            found = pattern.search(text)
            assert found is not None, text
            return float(found.group(1))

        before = served()
        answers = [_get(f"{base}/healthz") for _ in range(20)]
        assert {status for status, _, _ in answers} == {200}
        request_id = answers[-1][2]["X-Request-ID"]
        assert served() - before == 20  # counted by whichever of the two workers answered
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"request_id={request_id}" in output  # the access log names the id the app answered with
    assert re.search(r"Booting worker with pid", output)
    assert output.count("Booting worker with pid") == 2


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


@pytest.mark.deploy
def test_workers_are_forked_from_the_app_the_master_built_and_replaced_ones_serve_at_once(tmp_path):
    """The shipped settings build the app once, in the master (``preload_app``), and replace
    each worker after its share of requests: every worker, the replacements too, answers
    database-backed pages on connections of its own, and has spent a fraction of the CPU the
    master spent building the app (a worker building it itself spends more than the master)."""
    port = free_port()
    env = _environment(tmp_path, port)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "tenants", "load", "tenants"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    server = _gunicorn(env, "--max-requests", "4", "--max-requests-jitter", "0")
    try:
        base = f"http://127.0.0.1:{port}"
        pages = [_get(f"{base}/{office}/pengaduan/baru") for office in ("disdikbud-metro", "dinsos-lampung") * 10]
        assert {status for status, _, _ in pages} == {200}
        assert all('name="submission_key"' in text for _, text, _ in pages)  # the form, from its office's decree
        workers = [int(pid) for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
        master = _cpu_seconds(server.pid)
        assert len(workers) == 2 and master > 0.2  # the master built the app: imports, create_app, templates
        assert max(_cpu_seconds(pid) for pid in workers) < master / 2
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert output.count("Booting worker with pid") > 2 + 3  # 21 requests, 4 per worker: replaced several times
    assert "Traceback" not in output
