"""What every benchmark starts with: the import path, its arguments and its database."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


def arguments(doc: str | None) -> tuple[int, str]:
    """``--complaints N`` and the PostgreSQL server's URL; logging quietened for clean output."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not base:
        sys.exit("set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database")
    logging.disable(logging.INFO)
    return parser.parse_args().complaints, base
