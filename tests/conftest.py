"""Fixtures for the whole suite.

The database is built once per run by the real migrations (``flask db upgrade``), on
PostgreSQL when ``TEST_DATABASE_URL`` names one (CI) and on a SQLite file otherwise (the
embedded default). Each test then runs in isolation: on PostgreSQL inside one outer
transaction that every request's session joins with savepoints and that is rolled back
afterwards; on SQLite on a fresh copy of the migrated file. Requests run in their own
app context, as in production; factories open a short one of their own.

``TANGGAP_TEST_NOW`` (an ISO 8601 instant with its offset) runs the whole suite with the
clock set to that instant and ticking on from it, so CI proves the suite on the hours
that matter (the first minutes of a month in WIB, New Year's Eve in WIT, 29 February).
A test that needs one instant of its own moves the clock with the ``travel`` fixture;
nothing computes "now" once at import. Either way the process keeps its own time zone
(UTC here, as on the servers): the office's calendar must come from ``tanggap.clock``.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from redis import Redis
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError, PendingRollbackError, SQLAlchemyError

from tanggap import create_app
from tanggap.extensions import db, limiter
from tanggap.database import CROSS_BIND, reads_across
from tanggap import kept
from tanggap.tenancy import row_security

from tests.factories import Factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ON_POSTGRES = bool(TEST_DATABASE_URL)
#: On PostgreSQL the suite runs as these two roles, which own no table and have no BYPASSRLS,
#: as the app does in production: office pages as APP_ROLE, whose row policies admit only
#: the declared office, and cross-office work (jobs, the console, the inspectorate, the
#: factories) as CROSS_ROLE, a member of ``tanggap_cross``. Every test runs behind the policies.
APP_ROLE = "tanggap_office_test"
CROSS_ROLE = "tanggap_cross_test"
#: ``conn.info`` keys of the test connection: the role it is set to, and a role a test chose itself.
_ROLE_SET, _ROLE_PINNED = "test_role", "test_role_pinned"


def pytest_configure(config: pytest.Config) -> None:
    instant = os.environ.get("TANGGAP_TEST_NOW")
    if instant:
        moment = datetime.fromisoformat(instant)
        if moment.tzinfo is None:
            raise pytest.UsageError("TANGGAP_TEST_NOW needs an offset, e.g. 2027-04-01T00:10+07:00")
        # In UTC: an instant with a ZoneInfo would make time-machine set the process's zone too.
        traveller = time_machine.travel(moment.astimezone(timezone.utc), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    instant = os.environ.get("TANGGAP_TEST_NOW")
    return f"clock set to {instant} (TANGGAP_TEST_NOW)" if instant else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _migrate_and_grant(owner_url: str, instance: Path) -> None:
    """Migrate as the tables' owner, then let the app's two roles work with their rows, as
    production does (README, "Production")."""
    owner = create_app({"SQLALCHEMY_DATABASE_URI": owner_url, "SECRET_KEY": "owner", "REDIS_URL": None})
    with owner.app_context():
        upgrade()
        with db.engine.begin() as connection:
            for role in (APP_ROLE, CROSS_ROLE):
                exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
                if not exists:
                    connection.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS'))
        result = owner.test_cli_runner().invoke(args=["rls", "grant", APP_ROLE, "--cross", CROSS_ROLE])
        assert result.exit_code == 0, result.output
        db.engine.dispose()


def _as_role(url: str, role: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    instance = tmp_path_factory.mktemp("instance")
    if ON_POSTGRES:
        owner_url = TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        _reset_postgres(owner_url)
        _migrate_and_grant(owner_url, instance)
        url = _as_role(owner_url, APP_ROLE)
        binds = {CROSS_BIND: _as_role(owner_url, CROSS_ROLE)}
    else:
        url = f"sqlite:///{instance / 'test.db'}"
        binds = {}
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_BINDS": binds,
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
            "MAIL_SUPPRESS_SEND": True,
            "RATELIMIT_KEY_PREFIX": f"tanggap-test-{uuid.uuid4().hex[:8]}",
            "JOBS_SYNC": True,
            "SERVER_NAME": None,
            "AUDIT_CHECKPOINTS": str(instance / "audit-checkpoints"),
            # Attachments and exports: the embedded default's folder store, this run's own.
            "FILE_STORE": str(instance),
            # The embedded default's mail backend, in this run's own folder.
            "MAIL_FOLDER": str(instance / "mail"),
        }
    )
    if not ON_POSTGRES:
        with application.app_context():
            upgrade()
            db.engine.dispose()
    if not ON_POSTGRES:
        shutil.copy(instance / "test.db", instance / "template.db")
    else:
        # Each test's one connection stands for the app's engines, so it declares the office as they do.
        application.config["TEST_OWNER_ENGINE"] = owner_engine = create_engine(owner_url, pool_pre_ping=True)
        row_security.attach(owner_engine)
    application.config["TEST_INSTANCE"] = instance
    return application


def _empty_job_queues(url: str | None) -> None:
    """No job queued, failed or finished by an earlier test: the operator's job page, and every
    test that counts jobs, read this test's own. Only RQ's keys go; the suite's Redis database
    may hold other things."""
    if not url:
        return
    connection = Redis.from_url(url)
    keys = list(connection.scan_iter("rq:*", count=1000))
    if keys:
        connection.delete(*keys)


@pytest.fixture(autouse=True)
def isolated_database(app: Flask) -> Iterator[None]:
    """Each test sees the migrated, empty database and leaves nothing behind."""
    factory = db.session.session_factory
    factory.configure(expire_on_commit=False)
    limiter.reset()
    kept.forget_everything()  # on SQLite the next test's decree versions reuse these ids, and their forms
    shutil.rmtree(app.config["AUDIT_CHECKPOINTS"], ignore_errors=True)  # they vouch for this test's chains only
    shutil.rmtree(app.config["MAIL_FOLDER"], ignore_errors=True)  # each test reads only its own mail
    _empty_job_queues(app.config.get("REDIS_URL"))
    if not ON_POSTGRES:
        instance: Path = app.config["TEST_INSTANCE"]
        with app.app_context():
            db.engine.dispose()
        shutil.copy(instance / "template.db", instance / "test.db")
        yield
        with app.app_context():
            db.engine.dispose()
        return
    with app.app_context():
        engines = db._app_engines[app]
        engine, cross = engines[None], engines[CROSS_BIND]
    # One connection, of the tables' owner, stands for both roles' so that a test's rows are
    # seen by both: each statement runs as the role production would send it through.
    connection = app.config["TEST_OWNER_ENGINE"].connect()
    # The pooled connection's notes outlive the last test's transaction, whose rollback took any
    # role it set (a test's own ``SET ROLE`` too) with it: this test starts as the owner.
    connection.info.pop(_ROLE_PINNED, None)
    connection.info.pop(_ROLE_SET, None)
    event.listen(connection, "before_cursor_execute", _as_the_role_of_the_work)
    for name in ("rollback", "rollback_savepoint"):
        event.listen(connection, name, _forget_role)
    outer = connection.begin()
    engines[None] = engines[CROSS_BIND] = connection  # every session of this test binds to the one connection
    factory.configure(join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        engines[None], engines[CROSS_BIND] = engine, cross
        try:
            outer.rollback()
            connection.close()
        except (OperationalError, PendingRollbackError):  # a fault test restarted the server under it
            connection.invalidate()


_CONTROL = ("ROLLBACK", "RELEASE", "SAVEPOINT", "BEGIN", "COMMIT", "SET ", "SHOW ", "RESET ")


def _as_the_role_of_the_work(conn, cursor, statement: str, parameters, context, executemany: bool) -> None:
    """Run each statement as the role ``RoutingSession`` would pick in production: the app role
    for an office's work, the cross role for cross-office work. A test that sets a role itself
    (``SET [LOCAL] ROLE``, as an attacker with the owner's password would) keeps it until
    ``RESET ROLE``."""
    head = " ".join(statement.split()[:3]).upper()
    if head.startswith(("SET ROLE", "SET LOCAL ROLE")):
        conn.info[_ROLE_PINNED] = True
        return
    if head.startswith("RESET ROLE"):
        conn.info.pop(_ROLE_PINNED, None)
        conn.info.pop(_ROLE_SET, None)
        return
    if conn.info.get(_ROLE_PINNED) or head.startswith(_CONTROL):
        return
    wanted = CROSS_ROLE if reads_across() else APP_ROLE
    if conn.info.get(_ROLE_SET) != wanted:
        cursor.connection.execute(f'SET ROLE "{wanted}"')  # not on a streamed read's server-side cursor
        conn.info[_ROLE_SET] = wanted


def _forget_role(conn, *args) -> None:
    """A rolled-back (sub)transaction takes the role it set with it."""
    with suppress(SQLAlchemyError):  # a connection a fault test's restart cut has nothing to forget
        conn.info.pop(_ROLE_SET, None)


@pytest.fixture
def travel(time_machine) -> Callable[[datetime], None]:
    """Move the clock to an instant, written in any office's time, and let it tick on from there."""

    def to(moment: datetime) -> None:
        # Given in UTC: time-machine would otherwise also move the process's time zone to the
        # instant's, hiding any place that reads the server's zone instead of the office's.
        time_machine.move_to(moment.astimezone(timezone.utc), tick=True)

    return to


@pytest.fixture
def ctx(app: Flask):
    """``with ctx():`` opens a short app context for setting up or inspecting data."""

    @contextmanager
    def opened() -> Iterator[None]:
        with app.app_context():
            yield
            db.session.remove()

    return opened


@pytest.fixture
def make(app: Flask, ctx) -> Factories:
    return Factories(app, ctx)


@pytest.fixture
def two_offices(make):
    """Two offices with one of everything each (the isolation walks fill URLs from them)."""
    offices = make.office_with_staff("dinas-alpha"), make.office_with_staff("dinas-beta", region="kota-beta")
    for office in offices:
        make.furnish(office)
    return offices


@pytest.fixture
def metro(make):
    """Dinas Pendidikan dan Kebudayaan Kota Metro as shipped, with one member per role."""
    return make.seed_office("disdikbud-metro")


@pytest.fixture
def lampung(make):
    """Dinas Sosial Provinsi Lampung as shipped, with one member per role."""
    return make.seed_office("dinsos-lampung")


CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class Visitor:
    """A test client that behaves like a person with a browser: it reads the form's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def csrf_token(self, page: str = "/auth/login") -> str:
        html = self.client.get(page).get_data(as_text=True)
        match = CSRF_PATTERN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def submit(self, path: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """POST ``data`` to ``path`` as the form on ``page`` (default: ``path`` itself) would."""
        payload = {"csrf_token": self.csrf_token(page or path), **(data or {})}
        return self.client.post(path, data=payload, **kwargs)

    def login(self, email: str, password: str = Factories.PASSWORD):
        response = self.submit("/auth/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response


@pytest.fixture
def visitor(app: Flask) -> Visitor:
    return Visitor(app.test_client())


@pytest.fixture
def new_visitor(app: Flask):
    """A factory of independent visitors (separate cookie jars)."""
    return lambda: Visitor(app.test_client())
