"""``/healthz`` and ``/readyz``: what a load balancer and the operator's monitoring ask.

``/healthz`` says the process answers; it touches nothing, so a slow database never gets
a healthy web process restarted. ``/readyz`` says whether this host should get traffic and
whether the platform does its background work: the database reachable and its schema at
the migrations' head, the file store reachable, Redis reachable when configured, a
worker's heartbeat fresh and the deadline sweep run recently. Both answer JSON naming each
check and its state, never an address, a password or an error's text, and neither reads or
sets a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy import text

from .database import discard
from . import clock, filestore, jobs
from .alerts.tasks import last_sweep
from .extensions import db, limiter

bp = Blueprint("health", __name__)

#: A worker writes its heartbeat every few seconds while idle and while working (RQ).
WORKER_HEARTBEAT_AGE = timedelta(minutes=2)
#: ``rq cron`` runs the sweep every minute; a few missed ticks mean it is not running.
SWEEP_AGE = timedelta(minutes=5)

OK = "ok"
INLINE = "inline"  # the embedded default: no Redis, jobs run in the web process


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(state in (OK, INLINE) for state in self.checks.values())


def readiness(app: Flask) -> Readiness:
    """Each check's state: ``ok``, ``inline``, or a word saying what is wrong."""
    checks = {"database": _database(app), "files": _files(app)}
    redis_state = _redis(app)
    checks["redis"] = redis_state
    if redis_state == OK:
        checks["worker"] = _worker(app)
        checks["sweep"] = _sweep(app)
    elif redis_state == INLINE:
        checks["worker"] = checks["sweep"] = INLINE
    return Readiness(checks)


def _database(app: Flask) -> str:
    try:
        connection = db.session.connection()
        connection.execute(text("SELECT 1"))
        current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception:  # noqa: BLE001 (readiness names the failing part, never its error)
        discard()
        return "unreachable"
    return OK if current == _migration_heads(app) else "migrations behind"


def _files(app: Flask) -> str:
    try:
        filestore.current().check()
    except Exception:  # noqa: BLE001
        return "unreachable"
    return OK


def _migration_heads(app: Flask) -> set[str]:
    """The heads of the migrations this code ships, read once per process."""
    heads = app.extensions.get("tanggap.migration_heads")
    if heads is None:
        directory = Path(app.extensions["migrate"].directory)
        heads = app.extensions["tanggap.migration_heads"] = set(ScriptDirectory(str(directory)).get_heads())
    return set(heads)


def _redis(app: Flask) -> str:
    connection = jobs.redis_connection(app)
    if connection is None:
        return INLINE
    try:
        connection.ping()
    except Exception:  # noqa: BLE001
        return "unreachable"
    return OK


def _worker(app: Flask) -> str:
    from rq import Worker

    connection = jobs.redis_connection(app)
    assert connection is not None
    try:
        workers = Worker.all(connection=connection)
    except Exception:  # noqa: BLE001
        return "unreachable"
    beats = [worker.last_heartbeat for worker in workers if worker.last_heartbeat is not None]
    if not beats:
        return "no worker"
    return OK if clock.now() - max(beats) <= WORKER_HEARTBEAT_AGE else "stale"


def _sweep(app: Flask) -> str:
    connection = jobs.redis_connection(app)
    assert connection is not None
    try:
        at = last_sweep(connection)
    except Exception:  # noqa: BLE001
        return "unreachable"
    if at is None:
        return "never run"
    return OK if clock.now() - at <= SWEEP_AGE else "stale"


@bp.get("/healthz")
@limiter.exempt
def alive() -> Response:
    return jsonify(status="alive")


@bp.get("/readyz")
@limiter.exempt
def ready() -> tuple[Response, int]:
    state = readiness(current_app._get_current_object())  # type: ignore[attr-defined]
    body = jsonify(status="ready" if state.ready else "not ready", checks=state.checks)
    return body, 200 if state.ready else 503
