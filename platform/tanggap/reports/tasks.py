"""The rollup refresh as a job (``rq cron`` every five minutes; the embedded default's thread too)."""

from __future__ import annotations

from ..jobs import app_context
from .rollup import refresh


def refresh_job() -> int:
    with app_context():
        return refresh()
