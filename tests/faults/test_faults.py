"""Faults as production meets them: Redis gone, a worker killed mid-job, PostgreSQL
restarted. No accepted complaint is lost, no notification is lost or sent twice, the web
says clearly what is wrong while a dependency is away, and all catches up when it returns."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.notifications.models import OutboxMessage
from tanggap.notifications.tasks import redrive
from tanggap.tenancy.scoping import every_office

from ..complaints.conftest import complaint_form
from ..conftest import TEST_DATABASE_URL
from ..notifications.conftest import Inbox, free_port
from .conftest import start_worker

PAGE = "/disdikbud-metro/pengaduan/baru"


def _file(client, email: str) -> int:
    html = client.get(PAGE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(PAGE, data={"csrf_token": token, "submission_key": key,
                                   **complaint_form(email=email)}).status_code


def _outbox(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.recipient == email))).scalars())


@pytest.fixture
def mailbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class StallingSmtp:
    """An SMTP server that greets and then never answers: a job sending to it hangs."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connected = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            connection.sendall(b"220 stalling.example ESMTP\r\n")
            self.held.append(connection)
            self.connected.set()

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


def test_with_redis_away_the_web_keeps_taking_complaints_and_mail_follows_once_it_is_back(
        own_app, own_redis, mailbox):
    own_redis.stop()
    client = own_app.test_client()
    assert _file(client, "tini@example.org") == 303  # accepted: the database has it
    assert client.get("/disdikbud-metro/").status_code == 200
    login = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    assert client.post("/auth/login", data={"csrf_token": token, "email": "nobody@example.org",
                                            "password": "x"}).status_code in (200, 422)
    [waiting] = _outbox(own_app, "tini@example.org")
    assert waiting.sent_at is None

    own_redis.start()
    for _ in range(2):  # the re-drive finds it; a second round sends nothing more
        with own_app.app_context():
            redrive(older_than=timedelta(0))
        worker = start_worker(own_app, mail_port=mailbox.port)
        assert worker.wait(60) == 0, worker.stdout.read().decode()
    assert len(mailbox.to("tini@example.org")) == 1
    assert _outbox(own_app, "tini@example.org")[0].sent_at is not None


def test_a_worker_killed_mid_job_loses_no_mail_and_sends_none_twice(own_app, own_redis, mailbox):
    client = own_app.test_client()
    assert _file(client, "budi@example.org") == 303
    stalling = StallingSmtp()
    try:
        env_worker = start_worker(own_app, mail_port=stalling.port)
        assert stalling.connected.wait(60), "the worker never started the job"
        os.kill(env_worker.pid, signal.SIGKILL)  # the parent; its work-horse follows it down
        env_worker.wait(10)
        subprocess.run(["pkill", "-9", "-f", f"rq worker --url {own_redis.url}"], check=False)
    finally:
        stalling.close()
    [unsent] = _outbox(own_app, "budi@example.org")
    assert unsent.sent_at is None and mailbox.to("budi@example.org") == []

    for _ in range(2):
        with own_app.app_context():
            redrive(older_than=timedelta(0))
        worker = start_worker(own_app, mail_port=mailbox.port)
        assert worker.wait(60) == 0, worker.stdout.read().decode()
    assert len(mailbox.to("budi@example.org")) == 1
    with own_app.app_context():
        assert db.session.execute(every_office(select(func.count(Complaint.id)))).scalar() == 1


def _cluster() -> list[str] | None:
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return None
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


@pytest.mark.postgres
def test_postgresql_restarting_answers_503_then_everything_returns(tmp_path):
    from ..throwaway import throwaway_app

    cluster = _cluster()
    if cluster is None or os.geteuid() != 0:
        pytest.skip("needs pg_ctlcluster and root to restart PostgreSQL")
    with throwaway_app(TEST_DATABASE_URL, RATELIMIT_STORAGE_URI="memory://", FILE_STORE=str(tmp_path)) as app:
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["tenants", "load", str(Path(__file__).parents[2] / "tenants")])
            assert result.exit_code == 0, result.output
        client = app.test_client()
        assert _file(client, "before@example.org") == 303
        subprocess.run([*cluster, "stop", "-m", "fast"], check=True)
        try:
            page = client.get("/disdikbud-metro/", headers={"Accept-Language": "en"})
            assert page.status_code == 503 and page.headers["Retry-After"] == "30"
            assert "briefly unavailable" in page.get_data(as_text=True)
            api = client.get("/api/v1/complaints", headers={"Authorization": "Bearer tgp_x"})
            assert api.status_code == 503 and api.json["error"]["code"] == "unavailable"
        finally:
            subprocess.run([*cluster, "start"], check=True)
        for _ in range(60):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
                break
            time.sleep(0.5)
        assert client.get("/disdikbud-metro/").status_code == 200
        assert _file(client, "after@example.org") == 303
        with app.app_context():
            filed = db.session.execute(every_office(select(Complaint.email))).scalars().all()
        assert sorted(filed) == ["after@example.org", "before@example.org"]
