"""The shipped nginx site in front of gunicorn on a unix socket: a citizen files through it.

nginx (Debian's package) runs the site file from ``deploy/nginx/`` with only its
placeholders filled in (ports, certificate, socket, static folder). The citizen connects
from 127.0.0.2, so the address the app records must be the one nginx saw, not nginx's own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tanggap import clock

from ..complaints.helpers import photo
from ..notifications.conftest import free_port
from .clients import Citizen, complaint_fields, multipart

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx"
CITIZEN = "127.0.0.2"

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(not Path(NGINX).exists() and not os.environ.get("TANGGAP_REQUIRE_NGINX"),
                       reason="nginx is not installed (.ci/run installs it)"),
]


def _site(tmp: Path, port: int, socket: Path, static: Path) -> Path:
    """The shipped site with its placeholders filled in, inside a minimal main config."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")], check=True, capture_output=True)
    site = (ROOT / "deploy" / "nginx" / "tanggap.conf").read_text()
    site = (site.replace("unix:/run/tanggap/web.sock", f"unix:{socket}")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;").replace("listen [::]:443 ssl http2;", "")
            .replace("listen 80;", f"listen 127.0.0.1:{free_port()};").replace("listen [::]:80;", "")
            .replace("PUBLIC_HOST", "localhost").replace("STATIC_ROOT", str(static))
            .replace("/etc/ssl/tanggap/CERTIFICATE.pem", str(tmp / "cert.pem"))
            .replace("/etc/ssl/tanggap/PRIVATE_KEY.pem", str(tmp / "key.pem")))
    assert "CAPITALS" in site and not re.search(r"\b(PUBLIC_HOST|STATIC_ROOT|CERTIFICATE|PRIVATE_KEY)\b", site)
    (tmp / "site.conf").write_text(site)
    main = tmp / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp}/nginx.pid;\nerror_log stderr warn;\nevents {{}}\nhttp {{\n"
        f"  include /etc/nginx/mime.types;\n  access_log {tmp}/access.log;\n"
        f"  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
        f"  fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n"
        f"  include {tmp}/site.conf;\n}}\n"
    )
    return main


def test_a_citizen_files_with_a_photo_through_nginx_and_the_app_records_the_citizens_address(tmp_path):
    socket, port = tmp_path / "web.sock", free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "platform"), "TANGGAP_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/web.db", "GUNICORN_BIND": f"unix:{socket}", "WEB_CONCURRENCY": "1",
           "TANGGAP_PROXY_COUNT": "1", "TANGGAP_LOG_FORMAT": "json"}
    for name in ("REDIS_URL", "TEST_DATABASE_URL"):
        env.pop(name, None)
    for command in (["db", "upgrade"], ["tenants", "load", "tenants/"]):
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    web = subprocess.Popen([str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    proxy = subprocess.Popen([NGINX, "-c", str(_site(tmp_path, port, socket, ROOT / "platform/tanggap/static")),
                              "-p", str(tmp_path), "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        citizen = Citizen(port, tls=True, source=CITIZEN)
        for _ in range(150):
            try:
                status, _, _ = citizen.request("GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            proxy.terminate()
            web.terminate()
            pytest.fail("nginx and gunicorn did not answer: " + proxy.communicate()[1][-2000:]
                        + web.communicate()[0][-2000:])

        status, _, page = citizen.request("GET", "/disdikbud-metro/pengaduan/baru")
        assert status == 200
        html = page.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
        yesterday = (clock.office_today("Asia/Jakarta") - timedelta(days=1)).isoformat()
        body, kind = multipart(complaint_fields(token, key, yesterday), [("files", "kuitansi.jpg", "image/jpeg", photo())])
        status, headers, _body = citizen.request("POST", "/disdikbud-metro/pengaduan/baru", body, {"Content-Type": kind})
        assert status == 303, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _body.decode()))[:1500]
        assert "/tanda-terima" in headers["location"]

        # The stylesheet comes from nginx under its fingerprinted name, for a year; /metrics never.
        css = re.search(r'href="(/static/css/tanggap\.[0-9a-f]{12}\.css)"', html).group(1)
        status, headers, _ = citizen.request("GET", css)
        assert status == 200 and "immutable" in headers["cache-control"]
        assert "server" in headers and "gunicorn" not in headers.get("server", "")
        assert citizen.request("GET", "/metrics")[0] == 404
    finally:
        proxy.terminate()
        web.terminate()
        log, _ = web.communicate(timeout=30)
        proxy.communicate(timeout=30)

    with sqlite3.connect(tmp_path / "web.db") as database:
        rows = database.execute("SELECT ip FROM audit_log WHERE action LIKE 'complaint.%'").fetchall()
        attachments = database.execute("SELECT count(*) FROM attachment").fetchone()[0]
    assert rows and {ip for (ip,) in rows} == {CITIZEN}
    assert attachments == 1
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(record.get("client") == CITIZEN for record in records), log[-3000:]
    assert not any(record.get("client") == "127.0.0.1" for record in records)
    shutil.rmtree(tmp_path / "body", ignore_errors=True)
