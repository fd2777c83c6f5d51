"""A parent process that builds the app once and forks its workers from it.

Two of Tanggap's processes do: gunicorn's master (``preload_app`` in
``deploy/gunicorn.conf.py``) forks the web workers, and RQ's worker (``jobs.AppWorker``)
forks a work horse per job. What the parent does before forking, every child inherits for
nothing, however many it forks: gunicorn replaces each web worker after about a thousand
requests (``max_requests``), and a worker that built the app itself paid about 0.9 s of
CPU for the imports and ``create_app`` and up to 0.5 s compiling the templates it renders,
over a millisecond of every request it then served. An RQ horse lives for one job, so each
job compiled the templates of its message or letter again.

So the parent compiles every template (:func:`ready`) and then settles its heap
(``heap.settle``), and each child forgets the database connections it inherited
(:func:`forked`): they are the parent's, and two processes must never talk on one socket.
"""

from __future__ import annotations

from flask import Flask

from . import heap
from .extensions import db


def ready(app: Flask) -> None:
    """Compile every template once, then settle the heap: call once the app is built, before forking.

    Production templates are never reloaded (Jinja checks no file once compiled), so the
    compiled ones stay valid for the parent's whole life and every child it forks."""
    environment = app.jinja_env
    for name in environment.list_templates():
        environment.get_template(name)
    heap.settle()


def forked(app: Flask) -> None:
    """In a child just forked: pooled database connections the parent may hold are not the
    child's to use. They are dropped without being closed (closing would end the parent's
    sessions); the child opens its own when it first asks."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
