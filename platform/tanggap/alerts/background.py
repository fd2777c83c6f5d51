"""The embedded default's stand-in for ``rq cron``: a thread in the development server that
runs the given jobs (the sweep, the re-drive, the rollup) every minute. Nothing else differs
from production."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from flask import Flask

log = logging.getLogger(__name__)


def start(app: Flask, jobs: Sequence[Callable[[], object]], interval: float = 60.0) -> threading.Thread:
    """Run ``jobs`` one after the other, a second from now and then every ``interval`` seconds.

    The caller names the jobs (``flask serve``), as ``tanggap.schedule`` does for ``rq cron``:
    the rollup belongs to reports, a feature above this one.
    """
    from ..jobs import use_app

    use_app(app)
    stop = threading.Event()
    ran = False

    def loop() -> None:
        nonlocal ran
        while not stop.wait(interval if ran else 1.0):
            ran = True
            try:
                for job in jobs:
                    job()
            except Exception:  # keep sweeping; the next minute may do better
                log.exception("background sweep failed")

    thread = threading.Thread(target=loop, name="tanggap-sweep", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
