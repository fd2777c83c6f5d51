"""The platform operator's pages: background jobs (failed ones, with their last error and a
requeue button) and the outbox backlog."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select

from ..database import mark_across_offices
from ..extensions import db, login_manager
from ..jobs import QUEUES, queue, redis_connection
from ..notifications.models import MAX_ATTEMPTS, OutboxMessage
from ..tenancy.scoping import every_office
from ..web import redirect_htmx

bp = Blueprint("platform", __name__, url_prefix="/platform")

#: What each queue carries, in words; its name stays beside it for ``rq worker <name>``.
QUEUE_LABELS = {"default": _l("general jobs"), "notifications": _l("notices"), "reports": _l("report exports")}
# The platform operator's and the inspectors' pages read across offices: their statements
# go through the cross-office role, never the one serving office pages (row_security).
bp.before_request(mark_across_offices)


def operator_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """The operator's pages: log in first; anyone else is told nothing exists here (404)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_operator:
            abort(404)
        return view(*args, **kwargs)

    return guarded


def _failed(connection: Redis, limit: int = 20) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name in QUEUES:
        registry = FailedJobRegistry(name, connection=connection)
        ids = registry.get_job_ids(0, limit - 1)
        jobs = [job for job in Job.fetch_many(ids, connection=connection) if job is not None]
        found[name] = {"count": registry.count, "jobs": jobs}
    return found


def outbox_figures() -> tuple[int, int]:
    """Messages still to send, and messages given up after repeated failures, in one query."""
    unsent = OutboxMessage.sent_at.is_(None)
    row = db.session.execute(
        every_office(select(func.count(OutboxMessage.id).filter(unsent, OutboxMessage.attempts < MAX_ATTEMPTS),
               func.count(OutboxMessage.id).filter(unsent, OutboxMessage.attempts >= MAX_ATTEMPTS)))
    ).one()
    return row[0], row[1]


def failed_count() -> int:
    connection = redis_connection()
    return sum(FailedJobRegistry(name, connection=connection).count for name in QUEUES) if connection else 0


@bp.get("/jobs")
@operator_only
def jobs():
    backlog, given_up = outbox_figures()
    connection = redis_connection()
    failed = _failed(connection) if connection is not None else None
    return render_template("admin/jobs.html", failed=failed, backlog=backlog, given_up=given_up,
                           labels=QUEUE_LABELS)


@bp.post("/jobs/<queue_name>/<job_id>/requeue")
@operator_only
def requeue(queue_name: str, job_id: str):
    if queue_name not in QUEUES or redis_connection() is None:
        abort(404)
    registry = FailedJobRegistry(queue_name, connection=redis_connection())
    try:
        registry.requeue(job_id)
    except (NoSuchJobError, ValueError):
        abort(404)
    assert queue(queue_name) is not None
    flash(_("The job is queued again."), "success")
    return redirect_htmx(url_for(".jobs"))
