"""A web host and a worker host that share nothing but the database and the bucket.

gunicorn and an RQ worker (the deployment's own commands) run from two folders of their
own, on PostgreSQL as the office and cross-office roles, keeping files in a bucket of an
S3-protocol server on 127.0.0.1. A citizen files with a photo through the web process; a
leader asks for an export, which the worker writes; the web process serves both back.
Neither process's folder holds a kept file afterwards: the bucket does.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from tanggap import clock

from ..buckets import CREDENTIALS, s3_server  # noqa: F401 (the session's S3-protocol server)
from ..complaints.helpers import photo
from ..conftest import APP_ROLE, CROSS_ROLE, TEST_DATABASE_URL
from ..notifications.conftest import free_port
from .clients import Citizen, complaint_fields, multipart

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: A Redis database of this test's own on the suite's server, emptied before and after.
REDIS_DB = 13

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]


def _url(role: str, database: str) -> str:
    parts = urllib.parse.urlsplit(TEST_DATABASE_URL)
    return f"postgresql://{role}@{parts.hostname}:{parts.port or 5432}/{database}"


def _form(html: str, name: str) -> str:
    """A hidden field's value; the CSRF token also from a page's htmx headers."""
    found = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html) or (
        name == "csrf_token" and re.search(r'"X-CSRFToken": "([^"]+)"', html))
    assert found, f"no {name} on the page"
    return found.group(1)


def _wait_for(answer, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = answer()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {seconds} s")


def test_the_worker_writes_an_export_the_web_host_serves_and_neither_keeps_a_file(tmp_path, s3_server):  # noqa: F811
    bucket = s3_server.new_bucket()
    database = f"tanggap_shared_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    redis_url = urllib.parse.urlunsplit(urllib.parse.urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
                                        ._replace(path=f"/{REDIS_DB}"))
    queue = redis.Redis.from_url(redis_url)
    queue.flushdb()
    owner = _url(urllib.parse.urlsplit(TEST_DATABASE_URL).username or "postgres", database)
    base = {key: value for key, value in os.environ.items() if key not in {"TEST_DATABASE_URL", "VIRTUAL_ENV"}}
    shared = {**base, **CREDENTIALS, "PYTHONPATH": str(ROOT / "platform"), "TANGGAP_ENV": "production",
              "SECRET_KEY": "s" * 40, "TANGGAP_AUDIT_KEY": "a" * 40, "TANGGAP_LOG_FORMAT": "json",
              "REDIS_URL": redis_url, "TANGGAP_FILE_STORE": f"s3://{bucket}/platform",
              "TANGGAP_S3_ENDPOINT_URL": s3_server.endpoint}
    web_home, worker_home = tmp_path / "web", tmp_path / "worker"
    web_home.mkdir()
    worker_home.mkdir()
    flask = [str(BIN / "flask"), "--app", "tanggap.wsgi"]
    as_owner = {**shared, "TANGGAP_INSTANCE_PATH": str(tmp_path / "setup"), "DATABASE_URL": owner,
                "TANGGAP_CROSS_DATABASE_URL": owner}
    processes: list[subprocess.Popen] = []
    try:
        for command in (["db", "upgrade"], ["rls", "grant", APP_ROLE, "--cross", CROSS_ROLE],
                        ["tenants", "load", str(ROOT / "tenants")], ["demo", "--password", "rahasia-demo"]):
            done = subprocess.run([*flask, *command], cwd=tmp_path, env=as_owner, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        leader = re.search(r"leader\s+(\S+@tanggap\.demo)\s+\S+/disdikbud-metro/", done.stdout).group(1)

        as_office = {**shared, "DATABASE_URL": _url(APP_ROLE, database),
                     "TANGGAP_CROSS_DATABASE_URL": _url(CROSS_ROLE, database)}
        port = free_port()
        processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "tanggap.wsgi:app"],
            cwd=web_home, env={**as_office, "TANGGAP_INSTANCE_PATH": str(web_home), "PORT": str(port),
                               "WEB_CONCURRENCY": "2", "TANGGAP_PROXY_COUNT": "1",
                               "TANGGAP_PUBLIC_URL": f"https://127.0.0.1:{port}"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        processes.append(subprocess.Popen(
            [str(BIN / "rq"), "worker", "--worker-class", "tanggap.jobs.AppWorker", "--url", redis_url,
             "default", "notifications", "reports"],
            cwd=worker_home, env={**as_office, "TANGGAP_INSTANCE_PATH": str(worker_home)},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))

        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7", "Host": f"127.0.0.1:{port}"}
        citizen = Citizen(port, headers=forwarded)
        _wait_for(lambda: citizen.request("GET", "/healthz")[0] == 200, "gunicorn answering")
        _status, _, page = citizen.request("GET", "/disdikbud-metro/pengaduan/baru")
        html = page.decode()
        yesterday = (clock.office_today("Asia/Jakarta") - timedelta(days=1)).isoformat()
        picture = photo()
        body, kind = multipart(complaint_fields(_form(html, "csrf_token"), _form(html, "submission_key"), yesterday),
                               [("files", "kuitansi.jpg", "image/jpeg", picture)])
        status, headers, answer = citizen.request("POST", "/disdikbud-metro/pengaduan/baru", body,
                                                  {"Content-Type": kind})
        assert status == 303, answer.decode()[-2000:]
        tracking = urllib.parse.urlsplit(headers["location"]).path.replace("/tanda-terima", "")
        _status, _, page = citizen.request("GET", tracking)
        number = re.search(r"DISDIKBUD-[0-9A-Z-]+", page.decode()).group(0)
        link = re.search(rf'href="({re.escape(tracking)}/berkas/\d+)"', page.decode()).group(1)
        status, headers, kept = citizen.request("GET", link)
        assert status == 200 and headers["content-type"] == "image/jpeg" and kept[:2] == b"\xff\xd8"

        staff = Citizen(port, headers=forwarded)
        _status, _, page = staff.request("GET", "/auth/login")
        status, _, _ = staff.request("POST", "/auth/login", urllib.parse.urlencode(
            {"csrf_token": _form(page.decode(), "csrf_token"), "email": leader, "password": "rahasia-demo"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302
        reports = "/disdikbud-metro/staff/reports/"
        status, _, page = staff.request("GET", reports)
        assert status == 200
        status, _, fragment = staff.request(
            "POST", f"{reports}exports", urllib.parse.urlencode({"csrf_token": _form(page.decode(), "csrf_token")}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "Referer": f"https://127.0.0.1:{port}{reports}"})
        assert status == 200, fragment.decode()[-2000:]
        progress = re.search(r'hx-get="([^"]+/exports/[0-9a-f-]+)"', fragment.decode()).group(1)

        def finished() -> str | None:
            answer = staff.request("GET", progress, headers={"HX-Request": "true"})[2].decode()
            found = re.search(r'href="([^"]+/file)"', answer)
            return found.group(1) if found else None

        download = _wait_for(finished, "the worker's export")  # written on the worker, in the bucket
        status, headers, book = staff.request("GET", download)
        assert status == 200 and "attachment" in headers["content-disposition"]
        numbers = [row[0] for row in load_workbook(io.BytesIO(book)).active.values]
        assert number in numbers

        names = s3_server.names(bucket)
        assert any(re.fullmatch(r"platform/uploads/\d+/[0-9a-f]{32}\.jpg", name) for name in names), names
        assert any(re.fullmatch(r"platform/exports/[0-9a-f-]+\.xlsx", name) for name in names), names
        for home in (web_home, worker_home):
            assert not (home / "uploads").exists() and not (home / "exports").exists()
    finally:
        for process in processes:
            process.terminate()
        logs = [process.communicate(timeout=60)[0] for process in processes]
        queue.flushdb()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
    assert "Traceback" not in logs[1], logs[1][-3000:]
