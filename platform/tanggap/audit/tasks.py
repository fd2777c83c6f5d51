"""The audit checkpoint as a job (``rq cron`` every five minutes)."""

from __future__ import annotations

from ..database import discard
from ..jobs import app_context
from .checkpoints import write


def checkpoint_job() -> int:
    """Sign the head of every chain that moved; how many checkpoints were written."""
    with app_context():
        written = write()
        discard()  # it only read
        return len(written)
