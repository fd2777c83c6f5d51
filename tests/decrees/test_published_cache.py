"""Publishing a decree version, or adding a service unit, is seen by the next request of every worker.

Each worker process keeps the published versions it has read (``decrees.published``), and
which version is in force and the office's units under the office's revision, which the
database replaces with every such write (``tenancy.revision``). Two worker processes share
one database (a committed PostgreSQL database of its own, or one SQLite file): both read the
office's page, so both keep the version in force; one publishes a new version; the other's
next page is the new version's, read from the database, not from what it kept.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade

from tanggap import create_app
from tanggap.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.decrees import cache_worker
from tests.throwaway import throwaway_app

ROOT = Path(__file__).resolve().parents[2]
OFFICE = "disdikbud-metro"
FIRST = "002.b/KPTS/D-1/2024"  # the shipped decree's number


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A database both workers reach, with the shipped offices loaded and committed."""
    if TEST_DATABASE_URL:
        with throwaway_app(TEST_DATABASE_URL) as owner:
            _load_offices(owner)
            yield owner.config["SQLALCHEMY_DATABASE_URI"]
        return
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    app = create_app({"SECRET_KEY": "shared", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None,
                      "MAIL_SUPPRESS_SEND": True, "MAIL_FOLDER": None, "JOBS_SYNC": True})
    with app.app_context():
        upgrade()
    _load_offices(app)
    with app.app_context():
        db.engine.dispose()
    yield url


def _load_offices(app: Any) -> None:
    result = app.test_cli_runner().invoke(args=["tenants", "load", str(ROOT / "tenants")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()


class Worker:
    def __init__(self, url: str, instance: Path) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: a cache of its own
        self.pipe, theirs = context.Pipe()
        self.process = context.Process(target=cache_worker.serve, args=(url, str(instance), theirs), daemon=True)
        self.process.start()

    def ask(self, command: str, argument: Any = None) -> Any:
        self.pipe.send((command, argument))
        assert self.pipe.poll(120), f"the worker did not answer {command}"
        return self.pipe.recv()

    def page(self) -> str:
        status, body = self.ask("get", f"/{OFFICE}/")
        assert status == 200
        return body


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[Worker, Worker]]:
    with shared_database(tmp_path) as url:
        one, other = Worker(url, tmp_path / "one"), Worker(url, tmp_path / "other")
        try:
            yield one, other
        finally:
            for worker in (one, other):
                with suppress(BrokenPipeError, OSError):
                    worker.pipe.send(("stop", None))
                worker.process.join(30)
                if worker.process.is_alive():
                    worker.process.kill()


def test_a_new_version_published_through_one_worker_is_seen_by_the_next_request_of_another(workers):
    one, other = workers
    assert FIRST in one.page() and FIRST in other.page()
    assert one.ask("kept") == 1 and other.ask("kept") == 1  # both now answer from what they keep

    one.ask("publish", (OFFICE, "BARU/1/2026"))

    assert "BARU/1/2026" in other.page() and FIRST not in other.page()
    assert "BARU/1/2026" in one.page()
    assert other.ask("kept") == 2  # the new version, kept beside the old one under its own id

    other.ask("publish", (OFFICE, "BARU/2/2026"))  # and the other way round, the same day again
    assert "BARU/2/2026" in one.page() and "BARU/1/2026" not in one.page()


def test_a_unit_added_through_one_worker_is_offered_by_the_next_form_of_another(workers):
    one, other = workers
    form = f"/{OFFICE}/pengaduan/baru"
    assert "Loket Pindahan" not in one.ask("get", form)[1] and "Loket Pindahan" not in other.ask("get", form)[1]

    one.ask("unit", (OFFICE, "Loket Pindahan"))

    status, page = other.ask("get", form)
    assert status == 200 and "Loket Pindahan" in page


def test_a_component_dropped_through_one_worker_is_no_longer_offered_by_the_next_form_of_another(workers):
    """The blank page is kept by the version's outline (``published.Outline``), read off the
    kept copy: a new version published elsewhere is a new outline, and a new page."""
    one, other = workers
    form = f"/{OFFICE}/pengaduan/baru"
    for _visit in range(2):  # the second visit answered from the kept page
        assert 'value="fee"' in other.ask("get", form)[1]

    one.ask("publish", (OFFICE, "BARU/3/2026", "fee"))

    status, page = other.ask("get", form)
    assert status == 200 and 'value="fee"' not in page and 'value="time"' in page
