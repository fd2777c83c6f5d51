"""What a citizen's filing costs the database, counted, so that it cannot creep back.

A whole filing is the public form's GET and its POST. The budgets count the statements the
app sends (queries and writes) and leave out transaction control (BEGIN, SAVEPOINT, RELEASE,
COMMIT, ROLLBACK) and the test's own role switching; the row-security declarations and the
pool's pings are sent beneath SQLAlchemy's statement events and are counted by
``bench/filing.py`` instead. On PostgreSQL the suite runs as the app's role behind row-level
security, as production does.

Before the decree cache and the receipt's address built before the commit, a filing sent 9
statements on the GET and 19 on the POST (PostgreSQL); before the resend was left to the
unique submission key, 12 on the POST; before which version is in force and the office's
units were kept under the office's revision, 3 on the GET and 11 on the POST; before the audit
chain's lock and head became one statement, 9 on the POST.

The session's flushes are counted too: each runs SQLAlchemy's unit of work, a fixed cost in
the worker however few rows it writes. Before the complaint waited for its timeline entry
and the audit entry for the commit, a filing flushed four times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from tanggap import jobs
from tanggap.extensions import db

from tests.complaints.conftest import complaint_form
from tests.statements import counted

PAGE = "/disdikbud-metro/pengaduan/baru"
#: The form: the office (with its revision: which version is in force, its parts and the units are kept under it).
GET_BUDGET = 1
#: The office, the ticket counter, the complaint, its timeline event, the audit chain's head
#: (on PostgreSQL read under the chain's lock, in the same statement) and its new entry, the
#: office's channel settings (the citizen gave a mobile number: is the office's messaging
#: gateway on?) and the outbox row. A resend is found by the complaint's unique submission
#: key, not by a read before every filing.
POST_BUDGET = 8
#: The complaint with its timeline entry (whose id the audit entry names), then, at the commit,
#: the audit entry with the outbox row.
FLUSH_BUDGET = 2


@pytest.fixture
def expiring_at_commit() -> Iterator[None]:
    """As in production: a commit expires the session's objects (the suite keeps them otherwise).
    Asked for after the office's fixture, whose objects the test reads afterwards."""
    factory = db.session.session_factory
    factory.configure(expire_on_commit=True)
    yield
    factory.configure(expire_on_commit=False)


@pytest.fixture
def queued(monkeypatch) -> list[str]:
    """Jobs handed over instead of run inline: in production a worker delivers the outbox's
    mail after the request, so its statements are no part of the filing's."""
    handed: list[str] = []
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args, **kwargs: handed.append(func.__name__))
    return handed


def _file(client) -> tuple[list[str], list[str]]:
    with counted() as on_get:
        page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    with counted() as on_post:
        answer = client.post(PAGE, data={"csrf_token": token, "submission_key": key, **complaint_form()})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    return on_get, on_post


def test_a_whole_filing_stays_within_its_statement_budget(metro, expiring_at_commit, app, queued):
    _file(app.test_client())  # the first request of this worker reads the decree version in full
    on_get, on_post = _file(app.test_client())
    assert queued == ["deliver", "deliver"]  # each filing's acknowledgement, written in its transaction
    assert len(on_get) <= GET_BUDGET, "\n".join(on_get)
    assert len(on_post) <= POST_BUDGET, "\n".join(on_post)
    assert len(on_get) + len(on_post) <= GET_BUDGET + POST_BUDGET


def test_no_decree_part_is_read_once_the_version_is_kept(metro, expiring_at_commit, app, queued):
    """The version in force, its parts and the units are read once per process and office revision."""
    first_get, _ = _file(app.test_client())
    on_get, on_post = _file(app.test_client())
    parts = ("standard_component", "compensation_type", "matrix_cell", "deadline_policy", "souvenir_tier",
             "sanction_type")
    assert any(table in statement for statement in first_get for table in parts)
    assert sum("FROM decree" in statement for statement in first_get) == 2  # which version, then the version
    assert any("FROM service_unit" in statement for statement in first_get)
    assert not [s for s in on_get + on_post for table in (*parts, "decree", "service_unit") if f"FROM {table}" in s]


def test_the_receipt_needs_nothing_read_again_after_the_commit(metro, expiring_at_commit, app, queued):
    """The receipt's address is built before the commit: nothing expired is read back after it."""
    _file(app.test_client())
    _, on_post = _file(app.test_client())
    last_write = max(i for i, statement in enumerate(on_post) if statement.startswith("INSERT"))
    assert on_post[last_write + 1:] == []


def test_a_filing_flushes_its_rows_twice(metro, expiring_at_commit, app, queued):
    """The complaint and its timeline entry go in one flush, the audit entry and the outbox row
    in the commit's: the chain is still locked and its head read when the entry is recorded."""
    _file(app.test_client())
    flushes: list[list[str]] = []

    def written(session, context, instances) -> None:
        flushes.append(sorted(type(row).__name__ for row in session.new))

    event.listen(db.session.session_factory, "before_flush", written)  # each unit of work, as it starts
    try:
        _file(app.test_client())
    finally:
        event.remove(db.session.session_factory, "before_flush", written)
    assert flushes == [["Complaint", "ComplaintEvent"], ["AuditLog", "OutboxMessage"]]
