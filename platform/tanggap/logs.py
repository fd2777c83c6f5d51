"""Logs: one JSON object per line in production, each carrying the id of the work it belongs to.

A request gets an id (the proxy's ``X-Request-ID`` when it sent a well-formed one, else a
new one), answers with it, and every record logged while it runs names it. A job queued
by that request carries the id in its RQ metadata and logs under it on the worker, so an
operator can follow one citizen's filing from nginx's access log to the mail the worker
sent. On the embedded default the same records are plain text, for a person's eyes.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar, Token

from flask import Flask, Response, g, request
from pythonjsonlogger.json import JsonFormatter

#: The id of the request or job being worked on, for every record logged meanwhile.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
#: The address of the client whose request this is (as the trusted proxy saw it).
client: ContextVar[str | None] = ContextVar("client", default=None)

HEADER = "X-Request-ID"
#: What a proxy's id may look like: enough for a UUID or nginx's ``$request_id``, nothing
#: that could forge a log line.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_HANDLER_MARK = "tanggap_handler"


class _WithRequestId(logging.Filter):
    """Adds the request or job id, and the client's address, to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        record.client = client.get() or "-"
        return True


def install_handler(log_format: str, level: str = "INFO") -> logging.Handler:
    """Make the root logger's one handler: ``json`` or text. Idempotent (tests build many
    apps in one process), so the last app's format wins."""
    root = logging.getLogger()
    root.setLevel(level)
    for old in list(root.handlers):
        if getattr(old, _HANDLER_MARK, False):
            root.removeHandler(old)
    handler = logging.StreamHandler()
    setattr(handler, _HANDLER_MARK, True)
    handler.addFilter(_WithRequestId())
    if log_format == "json":
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(client)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        ))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root.addHandler(handler)
    return handler


def configure(app: Flask) -> None:
    """Logs in the app's format (``TANGGAP_LOG_FORMAT``: JSON by default in production), and
    each request's id taken, answered and forgotten."""
    install_handler(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _take_request_id() -> None:
        offered = request.headers.get(HEADER, "")
        g.request_id_tokens = (request_id.set(offered if WELL_FORMED.fullmatch(offered) else uuid.uuid4().hex),
                               client.set(request.remote_addr))

    @app.after_request
    def _answer_with_it(response: Response) -> Response:
        current = request_id.get()
        if current:
            response.headers[HEADER] = current
        return response

    # Forgotten with the app context, not the request: the mail a request hands over on the
    # embedded default goes out as the context closes, and its log lines belong to the request.
    @app.teardown_appcontext
    def _forget_it(exc: BaseException | None) -> None:
        tokens: tuple[Token[str | None], Token[str | None]] | None = g.pop("request_id_tokens", None)
        if tokens is not None:
            request_id.reset(tokens[0])
            client.reset(tokens[1])
