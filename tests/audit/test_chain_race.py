"""Changes of one office written at the same moment, on PostgreSQL: their audit entries take
one place each in the office's chain, in the order their transactions committed, and the
chain verifies. The chain's lock and its head are one statement (``audit_chain_head``); its
read must see every entry committed while it waited for the lock, or two entries would
claim the same place.

Real threads on real connections, on a database of its own (tests/assessments/test_races.py);
each writer is held at a barrier just before it appends, so all of them ask for the head at
once, and each holds its transaction open a moment after appending, so the others wait.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from tanggap.audit.log import record, verify
from tanggap.audit.models import AuditLog
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tests.assessments.test_races import run_together

pytestmark = pytest.mark.postgres

WRITERS = 8


def test_entries_written_at_once_take_one_place_each_and_the_chain_verifies(race):
    app, make = race
    office = make.seed_office("disdikbud-metro")
    with app.app_context():
        first = db.session.execute(select(AuditLog.seq).where(AuditLog.tenant_id == office.tenant.id)
                                   .order_by(AuditLog.seq.desc()).limit(1)).scalar() or 0
        db.session.remove()
    start = threading.Barrier(WRITERS, timeout=20)

    def write(index: int) -> int:
        with app.app_context():
            tenant = db.session.get(Tenant, office.tenant.id)
            with bound_to(tenant):
                start.wait()
                entry = record("race.written", tenant_id=tenant.id, actor_label="test", object_type="Thing",
                               object_id=index, after={"index": index})
                seq = entry.seq
                time.sleep(0.02)  # the transaction stays open: the others wait on the chain's lock
                db.session.commit()
            db.session.remove()
        return seq

    places = run_together(*(lambda index=index: write(index) for index in range(WRITERS)))

    assert all(isinstance(place, int) for place in places), places  # no writer refused (a place taken twice)
    assert sorted(places) == list(range(first + 1, first + WRITERS + 1)), places
    with app.app_context():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            assert verify(office.tenant.id) is None
        db.session.remove()
