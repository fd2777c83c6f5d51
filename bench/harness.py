"""What every benchmark starts with: the import path, its arguments and its database."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


def database_url() -> str:
    """The PostgreSQL server the benchmarks make their databases on."""
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not base:
        sys.exit("set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database")
    return base


def grant_roles(connection: Any, app_role: str, cross_role: str) -> None:
    """The app's two login roles, owning nothing and bypassing nothing, with the rights
    ``flask rls grant`` gives them, so row-level security applies as in production."""
    from sqlalchemy import text

    from tanggap.tenancy.row_security import grant_statements

    for role, cross in ((app_role, False), (cross_role, True)):
        if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
            connection.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS'))
        for statement in grant_statements(role, cross=cross):
            connection.execute(text(statement))


def arguments(doc: str | None) -> tuple[int, str]:
    """``--complaints N`` and the PostgreSQL server's URL; logging quietened for clean output."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    base = database_url()
    logging.disable(logging.INFO)
    return parser.parse_args().complaints, base


def stop(server: subprocess.Popen) -> None:
    """gunicorn's graceful stop, then a kill if it takes more than 30 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def serve_until_up(command: list[str], *, cwd: Path, env: dict[str, str], probe: str, name: str) -> subprocess.Popen:
    """Start a server (gunicorn, for either product) and wait, a minute at most, until ``probe``
    answers 200 through the pretend TLS proxy; a server that never comes up is stopped."""
    server = subprocess.Popen(command, cwd=cwd, env=env)
    try:
        for _ in range(120):
            try:
                request = urllib.request.Request(probe, headers={"X-Forwarded-Proto": "https"})
                if urllib.request.urlopen(request, timeout=2).status == 200:
                    return server
            except OSError:
                time.sleep(0.5)
    except BaseException:  # interrupted while waiting: the caller never gets the server to stop
        stop(server)
        raise
    stop(server)
    sys.exit(f"{name} did not come up")
