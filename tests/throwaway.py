"""A PostgreSQL database of one's own, migrated, and dropped afterwards.

For what cannot run inside the suite's rolled-back transaction: truly concurrent
transactions (racing sweeps) and benchmarks that load a million rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tanggap import create_app
from tanggap.extensions import db


@contextmanager
def throwaway_app(base_url: str, **config: Any) -> Iterator[Flask]:
    """An app on a new database beside ``base_url`` (any database of the same server)."""
    base_url = base_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"tanggap_scratch_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    app = create_app({"SECRET_KEY": "scratch", "SQLALCHEMY_DATABASE_URI": base_url.rsplit("/", 1)[0] + f"/{name}",
                      "REDIS_URL": None, "MAIL_SUPPRESS_SEND": True, "MAIL_FOLDER": None,
                      "JOBS_SYNC": True, **config})
    try:
        with app.app_context():
            upgrade()
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
