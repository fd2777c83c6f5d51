"""Background jobs: RQ queues on Redis in production, inline on the embedded default.

Jobs take ids, never ORM objects, and open their own app context, so the same function
runs the same way inline, on a worker, or after a retry (RQ is at-least-once at best).
That context is the job's unit of work: it commits once when the job returns, and rolls
back when it raises (``database.unit_of_work``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, Retry, Worker, get_current_job
from rq.job import Job

from . import logs, prefork
from .database import mark_across_offices, unit_of_work

QUEUES = ("default", "notifications", "reports")


def redis_connection(app: Flask | None = None) -> Redis | None:
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    connection = app.extensions.get("tanggap.redis")
    if connection is None:
        connection = app.extensions["tanggap.redis"] = Redis.from_url(url)
    return connection


def queue(name: str = "default") -> Queue | None:
    """The named RQ queue, or None on the embedded default (jobs run inline)."""
    connection = redis_connection()
    if connection is None:
        return None
    # JOBS_SYNC runs jobs at once through real Redis: the test suite uses it.
    return Queue(name, connection=connection, is_async=not current_app.config.get("JOBS_SYNC", False))


def enqueue(func: Callable[..., Any], *args: Any, queue_name: str = "default", timeout: int = 300,
            retries: int = 3, **kwargs: Any) -> Any:
    """Run ``func`` in the background: on RQ with retries and back-off, or inline."""
    target = queue(queue_name)
    if target is None:
        return func(*args, **kwargs)
    intervals = current_app.config.get("JOB_RETRY_INTERVALS") or [10, 60, 300]
    return target.enqueue(func, *args, job_timeout=timeout, retry=Retry(max=retries, interval=intervals),
                          meta={"request_id": logs.request_id.get()}, **kwargs)


def enqueue_each(func: Callable[..., Any], calls: Sequence[tuple[Any, ...]], *, queue_name: str = "default",
                 timeout: int = 300, retries: int = 3) -> None:
    """Many runs of one job, as ``enqueue`` would queue each, in one round trip to Redis (a
    pipeline): a sweep hands hundreds of messages to delivery at once. Inline, each runs, and
    one that fails does not keep the others from running; the first error is raised after."""
    target = queue(queue_name)
    if target is None or not target.is_async:
        failed: Exception | None = None
        for args in calls:
            try:
                enqueue(func, *args, queue_name=queue_name, timeout=timeout, retries=retries)
            except Exception as error:  # noqa: BLE001 (raised below, once the rest have run)
                failed = failed or error
        if failed is not None:
            raise failed
        return
    retry = Retry(max=retries, interval=current_app.config.get("JOB_RETRY_INTERVALS") or [10, 60, 300])
    meta = {"request_id": logs.request_id.get()}
    target.enqueue_many([Queue.prepare_data(func, args=args, timeout=timeout, retry=retry, meta=meta)
                         for args in calls])


_worker_app: Flask | None = None
_app_factory: Callable[[], Flask] | None = None


def use_app(app: Flask | None) -> None:
    """The app jobs run in when a worker has none of its own (tests run workers in-process)."""
    global _worker_app
    _worker_app = app


def use_app_factory(factory: Callable[[], Flask]) -> None:
    """How a worker makes its app: ``create_app``, which the package registers when imported.

    Registered rather than imported, so that this module stays below everything it serves;
    a worker imports its job's module, and with it the package, before it runs the job.
    """
    global _app_factory
    _app_factory = factory


@contextmanager
def app_context() -> Iterator[Flask]:
    """A fresh app context for one job, and the job's unit of work: of the running app inline,
    of a worker's own app on RQ; committed when the job returns, rolled back when it raises.

    Fresh, so the job's session and bound tenant never mix with its caller's.
    """
    if has_app_context():
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        with app.app_context(), unit_of_work():
            mark_across_offices()  # jobs read across offices through the cross role (row_security)
            yield app
        return
    app = _worker_app_or_new()
    job = get_current_job()
    # On a worker the job logs under the id of the request (or the tick) that queued it.
    token = logs.request_id.set((job.meta.get("request_id") if job else None) or (job.id if job else None))
    try:
        with app.app_context(), unit_of_work():
            mark_across_offices()
            yield app
    finally:
        logs.request_id.reset(token)


def _worker_app_or_new() -> Flask:
    global _worker_app
    if _worker_app is None:
        if _app_factory is None:
            raise RuntimeError("no app factory: import tanggap (it registers create_app) first")
        _worker_app = _app_factory()
    return _worker_app


class AppWorker(Worker):
    """The worker the Procfile runs (``rq worker --worker-class tanggap.jobs.AppWorker``).

    RQ forks a work horse for every job. RQ's own worker would leave the app to be built
    inside each fork, so every job paid for the imports and set-up again; this one builds
    it once, in the parent, before the first fork, and each horse inherits it. A job still
    gets a fresh app context and session of its own (:func:`app_context`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each horse then inherits compiled templates and a heap its collections need not walk.
        prefork.ready(_worker_app_or_new())

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        prefork.forked(_worker_app_or_new())
        super().main_work_horse(job, queue)
