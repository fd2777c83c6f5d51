"""The sweep as a job: ids and counts in and out, its own app context."""

from __future__ import annotations

import logging
from datetime import datetime

from redis import Redis

from .. import clock
from ..jobs import app_context, redis_connection
from . import new_complaints
from .sweep import sweep

log = logging.getLogger(__name__)

#: Where the sweep notes when it last finished, for ``/readyz`` on every web host.
SWEEP_FINISHED_KEY = "tanggap:sweep:finished"


def last_sweep(connection: Redis) -> datetime | None:
    """When a sweep last finished (on any worker), as noted in Redis; None if never."""
    finished = connection.get(SWEEP_FINISHED_KEY)
    if finished is None:
        return None
    return datetime.fromisoformat(finished.decode() if isinstance(finished, bytes) else str(finished))


def sweep_job() -> dict[str, int]:
    """Run by ``rq cron`` every minute (and by the development server on the embedded default)."""
    with app_context():
        result = sweep()
        if result.complaints:
            log.info("deadline sweep: %d complaints looked at, %d alerts", result.complaints, result.alerts)
        connection = redis_connection()
        if connection is not None:
            connection.set(SWEEP_FINISHED_KEY, clock.now().isoformat(), ex=86400)
        return {"complaints": result.complaints, "alerts": result.alerts}


def new_complaints_job() -> dict[str, int]:
    """Run by ``rq cron`` every minute: ring the bells for new complaints, send the daily e-mails due."""
    with app_context():
        told = new_complaints.tell()
        if told.rung or told.mailed:
            log.info("new complaints: %d bells rung, %d e-mails", told.rung, told.mailed)
        return {"rung": told.rung, "mailed": told.mailed}
