"""Real services on loopback for delivery tests: a private Redis that a test may stop and start,
an SMTP server (aiosmtpd) that keeps what it receives, and a webhook receiver."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from redis import Redis
from redis.exceptions import RedisError


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nobody else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                if Redis.from_url(self.url).ping():
                    return
            except RedisError:  # not listening yet
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis(app) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    from tanggap.jobs import use_app

    server = PrivateRedis()
    server.start()
    saved = {key: app.config[key] for key in ("REDIS_URL", "JOBS_SYNC", "JOB_RETRY_INTERVALS") if key in app.config}
    app.config.update(REDIS_URL=server.url, JOBS_SYNC=False, JOB_RETRY_INTERVALS=[0, 0, 0])
    app.extensions.pop("tanggap.redis", None)
    use_app(app)
    try:
        yield server
    finally:
        for key in ("REDIS_URL", "JOBS_SYNC", "JOB_RETRY_INTERVALS"):
            app.config.pop(key, None)
        app.config.update(saved)
        app.extensions.pop("tanggap.redis", None)
        use_app(None)
        server.stop()


def work(server: PrivateRedis, *queues: str) -> None:
    """Run an RQ worker in this process until the queues are empty (``SimpleWorker``, burst)."""
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(server.url)
    names = queues or ("notifications",)
    SimpleWorker([Queue(name, connection=connection) for name in names], connection=connection).work(burst=True)


class Inbox:
    """What the loopback SMTP server received: one entry per message and recipient."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, object]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        parsed = message_from_bytes(envelope.content)
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient, parsed))
        return "250 OK"

    def to(self, address: str) -> list:
        return [message for recipient, message in self.messages if recipient == address]


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    state = app.extensions["mail"]
    saved = (state.server, state.port, state.suppress, state.use_tls, state.use_ssl)
    state.server, state.port, state.suppress, state.use_tls, state.use_ssl = "127.0.0.1", controller.port, False, False, False
    folder = app.config["MAIL_FOLDER"]
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_FOLDER=None)  # a MAIL_SERVER is set: SMTP, no folder
    try:
        yield inbox
    finally:
        state.server, state.port, state.suppress, state.use_tls, state.use_ssl = saved
        app.config.update(MAIL_SUPPRESS_SEND=True, MAIL_FOLDER=folder)
        controller.stop()


class Receiver:
    """A webhook endpoint on loopback that answers with ``status`` and keeps what it got."""

    def __init__(self, status: int, location: str | None = None) -> None:
        self.status, self.location, self.requests = status, location, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def webhook_receiver(app):
    """Receivers on loopback, which the operator's allowed networks let webhooks reach for the test."""
    receivers = []
    saved = app.config.get("WEBHOOK_ALLOWED_NETWORKS", ())
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = ("127.0.0.1/32",)

    def make(status: int = 200, location: str | None = None) -> Receiver:
        receiver = Receiver(status, location)
        receivers.append(receiver)
        return receiver

    yield make
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = saved
    for receiver in receivers:
        receiver.server.shutdown()


class Gateway(Receiver):
    """A messaging gateway on loopback: it keeps each request and reads the signed documents."""

    def documents(self) -> list[dict]:
        import json

        return [json.loads(body) for _headers, body in self.requests]

    def signed_with(self, secret: str) -> bool:
        """Did every request carry the signature of its own body under ``secret``?"""
        import hashlib
        import hmac

        return all(headers.get("X-Tanggap-Signature") == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256)
                   .hexdigest() for headers, body in self.requests)


@pytest.fixture
def gateway(app):
    """A gateway on loopback (status 200 unless told otherwise), let through by the operator's
    allowed networks as an office's gateway on an intranet would be."""
    gateways = []
    saved = app.config.get("WEBHOOK_ALLOWED_NETWORKS", ())
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = ("127.0.0.1/32",)

    def make(status: int = 200) -> Gateway:
        made = Gateway(status)
        gateways.append(made)
        return made

    yield make
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = saved
    for made in gateways:
        made.server.shutdown()


def switch_gateway_on(ctx, tenant_id: int, url: str, kind: str = "signed", token: str | None = None) -> str:
    """Switch an office's messaging gateway on, as its admin would on the channels page; its secret."""
    from sqlalchemy import select

    from tanggap.extensions import db
    from tanggap.notifications.models import ChannelSettings, GatewayKind
    from tanggap.notifications.outbox import settings_of
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    with ctx():
        with bound_to(db.session.get(Tenant, tenant_id)):
            settings_of(tenant_id)
            channels = db.session.execute(select(ChannelSettings)).scalar_one()
            channels.gateway_enabled, channels.gateway_url = True, url
            channels.gateway_kind, channels.gateway_token = GatewayKind(kind), token
            secret = channels.gateway_secret
            db.session.commit()
    return secret
