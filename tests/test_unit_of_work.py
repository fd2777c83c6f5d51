"""One unit of work per request, job and command, and the database listeners are this app's.

A transaction ends in one place (``database``): a request commits at its end, before the
response leaves, or rolls back; a job or a command commits once through
``database.unit_of_work``; the few commits in the middle of work go through
``database.commit_progress``. The listeners that scope queries, declare the office to
PostgreSQL, hand over the outbox and keep stored files are attached to this application's
session and engines in ``create_app``, not to every session of the process on import.
"""

from __future__ import annotations

import ast
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session

from tanggap.complaints import attachments
from tanggap.complaints.models import Attachment, Complaint
from tanggap.database import commit_progress
from tanggap.extensions import db
from tanggap.notifications import outbox
from tanggap.notifications.models import OutboxMessage
from tanggap.tenancy import row_security, scoping
from tanggap.tenancy.scoping import TenantScopeError, every_office
from tests.complaints.conftest import complaint_form
from tests.complaints.helpers import photo
from tests.conftest import ON_POSTGRES

PACKAGE = Path(__file__).resolve().parent.parent / "platform" / "tanggap"
PAGE = "/disdikbud-metro/pengaduan/baru"

#: Every place that commits before its unit of work ends, and why; a new one is a decision.
PROGRESS_COMMITS = Counter({
    "alerts/sweep.py": 1,  # a finished batch lets its row locks go
    "api/views.py": 1,  # an API token's use, whatever its request answers
    "notifications/tasks.py": 1,  # a failed delivery attempt, kept when the job raises
    "notifications/views.py": 1,  # the channel settings made on first visit, shown even on a refusal
    "reports/exporting.py": 4,  # the row the inline job reads, the export's progress and its failure
})


#: Every place that undoes the work so far and goes on (``database.discard``): a refused step
#: (or a resent filing) whose writes must not survive, a job's failure it records afterwards.
DISCARDS = Counter({
    "admin/console_views.py": 4, "admin/settings_views.py": 1, "api/views.py": 3, "letters/views.py": 2,
    "notifications/views.py": 1, "complaints/citizen_views.py": 1, "complaints/steps.py": 1,
    "complaints/staff_views.py": 1, "complaints/intake.py": 1,  # the refusals, and a resent filing
    "web.py": 1,  # the error page
    "health.py": 1,  # a readiness probe that failed
    "notifications/tasks.py": 2, "audit/tasks.py": 1, "decrees/loader.py": 1, "reports/exporting.py": 1,  # jobs, commands
})


def _calls(name: str, arguments: int | None = None) -> Counter[str]:
    """Where the package calls ``name`` (as ``x.name()`` or ``name()``), by module; with
    ``arguments``, only the calls given that many."""
    found: Counter[str] = Counter()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (arguments is None or len(node.args) + len(node.keywords) == arguments):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if called == name:
                    found[path.relative_to(PACKAGE).as_posix()] += 1
    return found


def test_only_the_unit_of_work_commits():
    assert _calls("commit") == Counter({"database.py": 2})  # the end of a unit of work, and progress


def test_every_commit_in_the_middle_of_work_is_a_named_one():
    assert _calls("commit_progress") == PROGRESS_COMMITS


def test_only_the_unit_of_work_rolls_back_and_work_is_undone_by_one_call():
    assert _calls("rollback") == Counter({"database.py": 1})  # the end of a unit of work
    assert _calls("discard", arguments=0) == DISCARDS


def _send(visitor, **fields):
    html = visitor.get(PAGE).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    return visitor.submit(PAGE, {"submission_key": key, **complaint_form(**fields)},
                          content_type="multipart/form-data")


def _count(model) -> int:
    return db.session.execute(every_office(select(func.count(model.id)))).scalar_one()


def _stored_files(app) -> list[Path]:
    uploads = Path(app.config["FILE_STORE"]) / "uploads"
    return [path for path in uploads.rglob("*") if path.is_file()] if uploads.is_dir() else []


def test_a_request_that_fails_after_writing_leaves_nothing_and_sends_nothing(metro, visitor, ctx, app,
                                                                              monkeypatch):
    """The complaint, its receipt in the outbox and its photo were all written when the view
    failed: the rollback takes them all, and no message is handed to delivery."""

    def broken(*args, **kwargs):
        raise RuntimeError("the view fails after the complaint was written")

    monkeypatch.setattr("tanggap.complaints.citizen_views.redirect_htmx", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    with ctx():
        complaints, messages = _count(Complaint), _count(OutboxMessage)
    files = _stored_files(app)
    handed: list[int] = []
    monkeypatch.setattr("tanggap.notifications.tasks.deliver", lambda message_id: handed.append(message_id))

    response = _send(visitor, email="warga@example.id", files=[(io.BytesIO(photo()), "antrian.jpg")])

    assert response.status_code == 500
    with ctx():
        assert _count(Complaint) == complaints
        assert _count(OutboxMessage) == messages
        assert _count(Attachment) == 0
    assert _stored_files(app) == files
    assert handed == []


def test_a_refused_request_keeps_nothing_it_wrote(metro, visitor, ctx, app, monkeypatch):
    """A 4xx answer rolls back as an exception does: here the same submission, refused after it
    was written, files nothing."""
    from flask import abort

    monkeypatch.setattr("tanggap.complaints.citizen_views.redirect_htmx", lambda *args, **kwargs: abort(409))
    with ctx():
        before = _count(Complaint)
    assert _send(visitor).status_code == 409
    with ctx():
        assert _count(Complaint) == before


@pytest.mark.skipif(ON_POSTGRES, reason="on PostgreSQL every test runs inside one transaction nobody else sees")
def test_a_successful_request_is_committed_before_its_response(metro, visitor, app):
    """Seen from a connection of its own, as another web process would see it."""
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    def filed() -> int:
        with other.connect() as connection:
            return connection.execute(select(func.count(Complaint.id))).scalar_one()

    try:
        before = filed()
        assert _send(visitor).status_code in (302, 303)
        assert filed() == before + 1
    finally:
        other.dispose()


@pytest.fixture
def commits(app) -> Iterator[list[str]]:
    """One entry for each commit of the app's session while the test runs."""
    seen: list[str] = []

    def counted(session) -> None:
        seen.append("commit")

    with app.app_context():
        event.listen(db.session, "after_commit", counted)
    try:
        yield seen
    finally:
        with app.app_context():
            event.remove(db.session, "after_commit", counted)


def test_a_job_commits_once_at_its_end_and_rolls_back_when_it_raises(app, metro, ctx, commits):
    from tanggap.jobs import app_context
    from tanggap.tenancy.models import Tenant

    with app.app_context():
        with app_context():
            tenant = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
            tenant.brand_color = "#000001"
            db.session.flush()
            assert commits == []
        assert commits == ["commit"]
        with pytest.raises(RuntimeError), app_context():
            tenant = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
            tenant.brand_color = "#000002"
            db.session.flush()
            raise RuntimeError("the job fails")
        assert commits == ["commit"]
    with ctx():
        color = db.session.execute(select(Tenant.brand_color).where(Tenant.slug == "disdikbud-metro")).scalar_one()
    assert color == "#000001"


def test_commit_progress_commits_mid_job(app, metro, commits):
    from tanggap.jobs import app_context

    with app.app_context():
        with app_context():
            commit_progress()
            assert commits == ["commit"]
        assert commits == ["commit", "commit"]


# Item: the listeners are this application's ----------------------------------------------


def test_a_session_of_ones_own_is_not_scoped_and_the_apps_is(app, tmp_path):
    """Importing the package scopes no session but the app's: a plain ``Session`` on another
    engine reads a tenant-owned table with no office bound; ``db.session`` refuses to."""
    engine = create_engine(f"sqlite:///{tmp_path / 'own.db'}")
    Complaint.__table__.create(engine)
    try:
        with Session(engine) as own:
            assert own.execute(select(Complaint)).all() == []
        with app.app_context(), pytest.raises(TenantScopeError):
            db.session.execute(select(Complaint)).all()
    finally:
        engine.dispose()


def test_the_apps_engines_declare_the_office_and_no_other_engine_does(app):
    engine = create_engine("sqlite://")
    try:
        assert not event.contains(engine, "before_cursor_execute", row_security._declare_tenant)
    finally:
        engine.dispose()
    with app.app_context():
        # On PostgreSQL each test's one connection stands in for the app's engines (conftest).
        binds = [bind for bind in db.engines.values() if isinstance(bind, Engine)] or [app.config["TEST_OWNER_ENGINE"]]
    for bind in binds:
        assert event.contains(bind, "before_cursor_execute", row_security._declare_tenant)


def test_attaching_again_adds_no_second_listener(app):
    """Every app of a process (the tests make several) shares ``db.session``: each attaches once."""
    with app.app_context():
        scoping.init_app(app)
        attachments.init_app(app)
        outbox.attach(db.session)
        session = db.session()
        assert list(session.dispatch.do_orm_execute).count(scoping._scope_queries) == 1
        assert list(session.dispatch.before_flush).count(scoping._refuse_foreign_writes) == 1
        assert list(session.dispatch.after_commit).count(outbox._committed) == 1
        assert list(session.dispatch.after_commit).count(attachments._keep) == 1
    engine = create_engine("sqlite://")
    try:
        row_security.attach(engine)
        row_security.attach(engine)
        assert len(list(engine.dispatch.before_cursor_execute)) == 1  # the one listener, wrapped by SQLAlchemy
    finally:
        engine.dispose()


def test_what_waits_for_the_commit_runs_after_it_and_never_after_a_rollback(app):
    from tanggap.database import once_committed, unit_of_work

    ran: list[str] = []
    with app.app_context():
        with unit_of_work():
            once_committed(lambda: ran.append("kept"))
            assert ran == []
        with pytest.raises(RuntimeError), unit_of_work():
            once_committed(lambda: ran.append("undone"))
            raise RuntimeError("the work fails")
        with unit_of_work():
            pass
    assert ran == ["kept"]
