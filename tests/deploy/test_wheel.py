"""The production install from the package alone, as README's "Production" describes it.

The wheel is built from this checkout and installed with ``constraints.txt`` into a fresh
virtualenv outside the repository; nothing of the checkout is on its path. As the tables'
owner it migrates a database of its own and grants the two roles, loads ``tenants/``,
then gunicorn serves as the office role behind row-level security, in production mode,
from a folder that is not the checkout: an Indonesian page, and a filed complaint.
"""

from __future__ import annotations

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
from sqlalchemy import create_engine, text

from tanggap import clock

from ..conftest import APP_ROLE, CROSS_ROLE, TEST_DATABASE_URL
from ..notifications.conftest import free_port
from .clients import Citizen, complaint_fields, multipart

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]


def _run(command: list[str], **kwargs) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _url(role: str, database: str) -> str:
    parts = urllib.parse.urlsplit(TEST_DATABASE_URL)
    return f"postgresql://{role}@{parts.hostname}:{parts.port or 5432}/{database}"


def test_the_wheel_installs_migrates_and_serves_outside_the_checkout(tmp_path):
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path / "dist"),
          str(ROOT)], cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("tanggap-*.whl"))
    _run([sys.executable, "-m", "venv", str(tmp_path / "venv")])
    bin_ = tmp_path / "venv" / "bin"
    _run([str(bin_ / "pip"), "install", "--quiet", "-c", str(ROOT / "constraints.txt"), str(wheel)], cwd=tmp_path)

    database = f"tanggap_wheel_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    owner = _url(urllib.parse.urlsplit(TEST_DATABASE_URL).username or "postgres", database)
    base = {key: value for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "TEST_DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV"}}
    production = {**base, "TANGGAP_ENV": "production", "SECRET_KEY": "s" * 40, "TANGGAP_AUDIT_KEY": "a" * 40,
                  "TANGGAP_INSTANCE_PATH": str(tmp_path / "var"), "TANGGAP_LOG_FORMAT": "json"}
    flask = [str(bin_ / "flask"), "--app", "tanggap.wsgi"]
    server = None
    try:
        as_owner = {**production, "DATABASE_URL": owner, "TANGGAP_CROSS_DATABASE_URL": owner}
        _run([*flask, "db", "upgrade"], cwd=tmp_path, env=as_owner)
        _run([*flask, "rls", "grant", APP_ROLE, "--cross", CROSS_ROLE], cwd=tmp_path, env=as_owner)
        _run([*flask, "tenants", "load", str(ROOT / "tenants")], cwd=tmp_path, env=as_owner)

        port = free_port()
        as_office = {**production, "DATABASE_URL": _url(APP_ROLE, database),
                     "TANGGAP_CROSS_DATABASE_URL": _url(CROSS_ROLE, database), "PORT": str(port),
                     "WEB_CONCURRENCY": "1", "TANGGAP_PROXY_COUNT": "1", "TANGGAP_PUBLIC_URL": f"https://127.0.0.1:{port}"}
        server = subprocess.Popen([str(bin_ / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                   "tanggap.wsgi:app"], cwd=tmp_path, env=as_office,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # Straight to gunicorn, with the headers nginx would add.
        citizen = Citizen(port, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.20",
                                         "Host": f"127.0.0.1:{port}"})
        for _ in range(150):
            try:
                if citizen.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")

        status, _, page = citizen.request("GET", "/disdikbud-metro/pengaduan/baru")
        html = page.decode()
        assert status == 200, html[-2000:]
        assert 'lang="id"' in html and "Ajukan pengaduan" in html  # the catalogue came with the wheel
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
        yesterday = (clock.office_today("Asia/Jakarta") - timedelta(days=1)).isoformat()
        body, kind = multipart(complaint_fields(token, key, yesterday), [])
        status, headers, answer = citizen.request("POST", "/disdikbud-metro/pengaduan/baru", body,
                                                  {"Content-Type": kind})
        assert status == 303, answer.decode()[-2000:]
        status, _, receipt = citizen.request("GET", urllib.parse.urlsplit(headers["location"]).path)
        assert status == 200 and "DISDIKBUD-" in receipt.decode()
        with create_engine(owner.replace("postgresql://", "postgresql+psycopg://", 1)).connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM complaint")).scalar_one() == 1
    finally:
        if server is not None:
            server.terminate()
            server.communicate(timeout=30)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
