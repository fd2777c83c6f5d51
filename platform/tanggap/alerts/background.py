"""The embedded default's stand-in for ``rq cron``: a thread in the development server that
runs the sweep and the re-drive every minute. Nothing else differs from production."""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)


def start(app: Flask, interval: float = 60.0) -> threading.Thread:
    from ..jobs import use_app
    from ..notifications.tasks import redrive
    from ..reports.tasks import refresh_job
    from .tasks import sweep_job

    use_app(app)
    stop = threading.Event()
    ran = False

    def loop() -> None:
        nonlocal ran
        while not stop.wait(interval if ran else 1.0):
            ran = True
            try:
                sweep_job()
                redrive()
                refresh_job()
            except Exception:  # keep sweeping; the next minute may do better
                log.exception("background sweep failed")

    thread = threading.Thread(target=loop, name="tanggap-sweep", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
