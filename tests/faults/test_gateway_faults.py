"""A phone-only citizen's messages across the faults production meets: Redis gone while they
file, and a worker killed while the gateway holds its request. Real ``rq worker`` processes,
a real gateway on loopback; each message reaches the gateway once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from tanggap.extensions import db
from tanggap.notifications.models import Channel, ChannelSettings, GatewayKind, OutboxMessage
from tanggap.notifications.outbox import settings_of
from tanggap.notifications.tasks import redrive
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.scoping import every_office

from ..complaints.conftest import complaint_form
from ..notifications.conftest import free_port
from .conftest import ROOT

PAGE = "/disdikbud-metro/pengaduan/baru"


class HoldingGateway:
    """A gateway on loopback that holds its first request unanswered (until ``release``) and
    answers every later one with 200; only answered requests count as received."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.first_arrived, self.release = threading.Event(), threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not gateway.first_arrived.is_set():
                    gateway.first_arrived.set()
                    gateway.release.wait(60)
                    return  # never answered: the gateway did not take it
                import json

                gateway.received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()


@pytest.fixture
def holding_gateway(own_app):
    own_app.config["WEBHOOK_ALLOWED_NETWORKS"] = ("127.0.0.1/32",)
    own_app.config["FAULTS_ENV"]["TANGGAP_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.1/32"
    gateway = HoldingGateway()
    with own_app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
        with bound_to(tenant):
            settings_of(tenant.id)
            channels = db.session.execute(select(ChannelSettings)).scalar_one()
            channels.gateway_enabled, channels.gateway_url = True, gateway.url
            channels.gateway_kind = GatewayKind.SIGNED
            db.session.commit()
    yield gateway
    gateway.close()


def _file_phone_only(client) -> int:
    html = client.get(PAGE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(PAGE, data={"csrf_token": token, "submission_key": key,
                                   **complaint_form(email=None, phone="0812 9999 0001")}).status_code


def _messages(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.channel == Channel.MESSAGE))).scalars())


def _worker(app) -> subprocess.Popen:
    """A real ``rq worker`` in a session of its own, so that it and its work-horse can be
    killed together, and nothing else."""
    env = {**os.environ, **app.config["FAULTS_ENV"], "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(free_port()),
           "PYTHONPATH": str(ROOT / "platform")}
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--worker-class",
                             "tanggap.jobs.AppWorker", "--url", env["REDIS_URL"], "--burst", "notifications"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _catch_up(app) -> None:
    for _ in range(2):  # the re-drive finds it; a second round sends nothing more
        with app.app_context():
            redrive(older_than=timedelta(0))
        worker = _worker(app)
        assert worker.wait(60) == 0, worker.stdout.read().decode()


def test_with_redis_away_a_phone_only_citizen_is_still_told_once_it_is_back(own_app, own_redis, holding_gateway):
    holding_gateway.first_arrived.set()  # this gateway answers at once
    own_redis.stop()
    assert _file_phone_only(own_app.test_client()) == 303
    [waiting] = _messages(own_app)
    assert waiting.sent_at is None and holding_gateway.received == []
    own_redis.start()
    _catch_up(own_app)
    [received] = holding_gateway.received
    assert received["to"] == "+6281299990001" and received["key"] == waiting.key
    assert _messages(own_app)[0].sent_at is not None


def test_a_worker_killed_while_the_gateway_holds_the_message_loses_it_not(own_app, own_redis, holding_gateway):
    assert _file_phone_only(own_app.test_client()) == 303
    worker = _worker(own_app)
    try:
        assert holding_gateway.first_arrived.wait(60), "the worker never reached the gateway"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work-horse, mid-request
        worker.wait(10)
    [unsent] = _messages(own_app)
    assert unsent.sent_at is None and holding_gateway.received == []
    holding_gateway.release.set()

    _catch_up(own_app)
    [received] = holding_gateway.received
    assert received["key"] == unsent.key and received["notice"] == "submitted"
    assert _messages(own_app)[0].sent_at is not None
