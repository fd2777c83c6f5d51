"""Offices on their own host names (``pengaduan.dinsos.example.go.id``).

A request to an office's host is routed as if its path began with the office's slug, and
every URL built while answering it leaves the slug out again, so the office's pages read as
its own site. Platform paths (static files, log-in, the console, the inspectorate) stay as
they are on any host; an unknown host is the platform's own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import select

from .models import Tenant

#: First path segments that are the platform's on every host.
PLATFORM_PATHS = frozenset({"static", "auth", "locale", "platform", "inspektorat", "api", "open311", "health",
                            "favicon.ico", "robots.txt"})
ENVIRON_KEY = "tanggap.office_host"
#: The path as the browser asked for it, before the slug went in front.
ORIGINAL_PATH = "tanggap.original_path"
REFRESH_SECONDS = 30


class OfficeHosts:
    """WSGI middleware: rewrite paths on an office's host to the office's own routes."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask) -> None:
        self.wsgi_app, self.app = wsgi_app, app
        self._hosts: dict[str, str] = {}
        self._loaded_at = 0.0

    def hosts(self) -> dict[str, str]:
        if time.monotonic() - self._loaded_at > REFRESH_SECONDS:
            from ..extensions import db

            with self.app.app_context():
                rows = db.session.execute(
                    select(Tenant.domain, Tenant.slug).where(Tenant.domain.is_not(None), Tenant.active)).tuples()
                self._hosts = {domain: slug for domain, slug in rows if domain is not None}
                db.session.remove()
            self._loaded_at = time.monotonic()
            self._trust(list(self._hosts))
        return self._hosts

    def _trust(self, office_hosts: list[str]) -> None:
        """Where the host names requests may use are limited (production), offices' own count too."""
        configured = self.app.config.get("TANGGAP_TRUSTED_HOSTS")
        if configured is not None:
            self.app.config["TRUSTED_HOSTS"] = [*configured, *office_hosts]

    def forget(self) -> None:
        """Read the hosts again on the next request (after the console changed one)."""
        self._loaded_at = 0.0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST", "").split(":")[0].lower()
        slug = self.hosts().get(host) if host else None
        if slug:
            path = environ.get("PATH_INFO") or "/"
            first = path.lstrip("/").split("/", 1)[0]
            if first not in PLATFORM_PATHS and first != slug:
                environ["PATH_INFO"] = f"/{slug}{path}"
            environ[ENVIRON_KEY] = slug
            environ[ORIGINAL_PATH] = path
        return self.wsgi_app(environ, start_response)


class TanggapFlask(Flask):
    """Flask, building URLs without the slug while it answers on an office's own host."""

    def url_for(self, endpoint: str, *args: Any, **values: Any) -> str:
        url = super().url_for(endpoint, *args, **values)
        slug = request.environ.get(ENVIRON_KEY) if has_request_context() else None
        if not slug:
            return url
        prefix = f"/{slug}/"
        scheme, separator, rest = url.partition("://")
        if separator:
            host, _, path = rest.partition("/")
            if ("/" + path).startswith(prefix):
                return f"{scheme}://{host}/{path[len(slug) + 1:]}"
            return url
        return url[len(prefix) - 1:] if url.startswith(prefix) else url


def path_as_asked() -> str:
    """This request's path and query as the browser sees them (for "come back here" links)."""
    path = request.environ.get(ORIGINAL_PATH, request.path)
    query = request.query_string.decode()
    return f"{path}?{query}" if query else path


def init_app(app: Flask) -> OfficeHosts:
    middleware = OfficeHosts(app.wsgi_app, app)
    app.wsgi_app = middleware  # type: ignore[method-assign]
    app.extensions["tanggap.office_hosts"] = middleware
    return middleware
