"""Metrics for the operator's Prometheus, and errors to Sentry when ``SENTRY_DSN`` is set.

``/metrics`` answers only the networks ``TANGGAP_METRICS_ALLOWED_NETWORKS`` names
(loopback by default; the client address is the one the trusted proxy saw, and the nginx
site refuses the path too), so the outside world never reads it. It holds:

- request latency by endpoint (a histogram every web process adds to; under gunicorn the
  processes share ``PROMETHEUS_MULTIPROC_DIR`` and any one of them answers for all);
- read when scraped, so every web host tells the same truth: jobs waiting and failed per
  queue, the outbox's unsent messages and the age of the oldest, the seconds since the
  deadline sweep last finished, and exports by state.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from time import perf_counter  # a stopwatch for latency, not the app's clock

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from . import clock, jobs
from .alerts.tasks import last_sweep
from .database import across_offices
from .extensions import db, limiter
from .notifications.models import OutboxMessage
from .reports.models import Export
from .tenancy.scoping import every_office

#: One histogram for the process (tests build many apps; a metric is registered once).
REQUEST_SECONDS = Histogram(
    "tanggap_request_duration_seconds", "Time to answer a request, by endpoint.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def init_app(app: Flask) -> None:
    _start_sentry(app)

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        if started is not None and request.endpoint != "metrics":
            REQUEST_SECONDS.labels(request.endpoint or "none", request.method, str(response.status_code)).observe(
                perf_counter() - started
            )
        return response

    app.add_url_rule("/metrics", "metrics", limiter.exempt(_metrics))


def _metrics() -> Response:
    if not _allowed(request.remote_addr):
        abort(404)  # the page does not exist for anyone else
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Platform(current_app._get_current_object()))  # type: ignore[attr-defined]
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = current_app.config.get("METRICS_ALLOWED_NETWORKS") or ("127.0.0.1/32", "::1/128")
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


class _ThisProcess(Collector):
    """The request histogram of this process alone (the embedded default: one process)."""

    def collect(self) -> Iterator[Metric]:
        yield from REQUEST_SECONDS.collect()


class _Platform(Collector):
    """Figures read from Redis and the database at the moment of the scrape."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        yield from self._queues()
        with across_offices():
            yield from self._outbox()
            yield from self._exports()

    def _queues(self) -> Iterator[Metric]:
        connection = jobs.redis_connection(self.app)
        if connection is None:
            return
        from rq import Queue

        waiting = GaugeMetricFamily("tanggap_queue_jobs", "Jobs waiting in each RQ queue.", labels=["queue"])
        failed = GaugeMetricFamily("tanggap_queue_failed_jobs", "Jobs in each queue's failed registry.", labels=["queue"])
        for name in jobs.QUEUES:
            queue = Queue(name, connection=connection)
            waiting.add_metric([name], queue.count)
            failed.add_metric([name], queue.failed_job_registry.count)
        yield waiting
        yield failed
        at = last_sweep(connection)
        if at is not None:
            yield GaugeMetricFamily("tanggap_sweep_lag_seconds", "Seconds since the deadline sweep last finished.",
                                    value=(clock.now() - at).total_seconds())

    def _outbox(self) -> Iterator[Metric]:
        unsent, oldest = db.session.execute(
            every_office(select(func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.sent_at.is_(None)))
        ).one()
        yield GaugeMetricFamily("tanggap_outbox_unsent", "Messages in the outbox not yet delivered.", value=unsent)
        age = (clock.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("tanggap_outbox_oldest_unsent_seconds", "Age of the oldest undelivered message.",
                                value=age)

    def _exports(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("tanggap_exports", "Report exports by state.", labels=["status"])
        rows = db.session.execute(
            every_office(select(Export.status, func.count()).group_by(Export.status))
        ).all()
        for status, count in rows:
            family.add_metric([status], count)
        yield family


def _start_sentry(app: Flask) -> None:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.rq import RqIntegration

    # No personal data: citizens' names and addresses never leave for a third party's server.
    sentry_sdk.init(dsn=dsn, integrations=[FlaskIntegration(), RqIntegration()], send_default_pii=False,
                    environment=app.config.get("TANGGAP_ENV"))
