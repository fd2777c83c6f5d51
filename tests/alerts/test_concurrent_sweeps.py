"""Two sweeps at once on PostgreSQL alert once: each complaint's point is recorded by one of
them (SKIP LOCKED shares the work; the unique constraint settles any race).

The test needs real concurrent transactions, so it runs on a database of its own, built by
the migrations and dropped afterwards, not inside the suite's rolled-back transaction.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tanggap.alerts.models import DeadlineAlert
from tanggap.alerts.sweep import sweep
from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.notifications.models import OutboxMessage
from tanggap.tenancy.scoping import CROSS_TENANT, every_office
from tests.conftest import TEST_DATABASE_URL
from tests.factories import Factories
from tests.throwaway import throwaway_app

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_database():
    with throwaway_app(TEST_DATABASE_URL, TESTING=True, ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 1024, "parallelism": 1}) as app:
        yield app


def test_two_sweeps_at_once_alert_once(own_database):
    app = own_database
    from contextlib import contextmanager

    @contextmanager
    def ctx():
        with app.app_context():
            yield
            db.session.remove()

    make = Factories(app, ctx)
    office = make.office_with_staff("dinas-race")
    for _ in range(40):
        make.complaint(office)
    with app.app_context():
        due = db.session.execute(every_office(select(func.max(Complaint.due_at)))).scalar()
    moment = due + timedelta(minutes=1)
    start = threading.Barrier(2)
    results, errors = [], []

    def run() -> None:
        try:
            with app.app_context():
                start.wait()
                results.append(sweep(now=moment, batch=7))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - the thread's error is asserted on below  # pragma: no cover
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with app.app_context():
        options = {CROSS_TENANT: True}
        alerts = db.session.execute(select(func.count(DeadlineAlert.id)).execution_options(**options)).scalar_one()
        mails = db.session.execute(select(func.count(OutboxMessage.id)).where(OutboxMessage.key.like("alert:%"))
                                   .execution_options(**options)).scalar_one()
    assert alerts == 40 * 3  # half, 12 hours left and due: recorded once each
    assert mails == 40  # one told point ("due") per complaint, to the one leader
    assert sum(r.alerts for r in results) == 40
    assert all(r.complaints > 0 for r in results)  # both took part
