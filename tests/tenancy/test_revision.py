"""An office's revision (``tenancy.revision``): the database stamps the office anew whenever one
of its decree versions or service units is written, however it is written, and what a worker
keeps under the stamp (which version is in force, the units) follows every change at once:
committed, rolled back, within the writing transaction, and at the office's midnight."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from tanggap import clock
from tanggap.decrees import drafts, store
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.revision import REVISED_BY
from tanggap.units.listing import active_units
from tanggap.units.models import ServiceUnit

from tests.conftest import ON_POSTGRES


def _revision(tenant_id: int) -> str:
    return db.session.execute(select(Tenant.revision).where(Tenant.id == tenant_id)).scalar_one()


@pytest.mark.parametrize("statement", [
    "INSERT INTO service_unit (tenant_id, name, active) VALUES (:office, 'Loket Baru', true)",
    "UPDATE service_unit SET name = name || ' (lama)' WHERE tenant_id = :office",
    "DELETE FROM service_unit WHERE tenant_id = :office AND name = 'Loket Sementara'",
    "UPDATE decree SET number = number WHERE tenant_id = :office",
])
def test_any_write_of_the_offices_units_or_versions_gives_it_a_new_revision(metro, lampung, ctx, statement):
    """Plain SQL, past the ORM: the stamp is the database's, not the app's."""
    with ctx():
        with bound_to(db.session.get(Tenant, metro.tenant.id)):
            db.session.add(ServiceUnit(tenant_id=metro.tenant.id, name="Loket Sementara"))
            db.session.commit()
        ours, theirs = _revision(metro.tenant.id), _revision(lampung.tenant.id)
        with bound_to(db.session.get(Tenant, metro.tenant.id)):
            written = db.session.execute(text(statement), {"office": metro.tenant.id}).rowcount
            db.session.commit()
        assert written >= 1
        assert _revision(metro.tenant.id) != ours
        assert len(_revision(metro.tenant.id)) == 32
        assert _revision(lampung.tenant.id) == theirs  # another office's stamp is its own


def test_every_table_it_names_stamps_its_office_by_trigger(app, ctx):
    with ctx():
        if ON_POSTGRES:
            found = db.session.execute(text(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE action_statement LIKE '%office_revised%'")).scalars()
        else:
            found = db.session.execute(text(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%revises_office'"
            )).scalars()
        assert sorted(found) == sorted(REVISED_BY)


def test_a_unit_added_is_chosen_from_by_the_next_form_and_one_rolled_back_never(metro, ctx):
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            before = active_units(tenant)
            db.session.add(ServiceUnit(tenant_id=tenant.id, name="Loket Uji Urung"))
            db.session.flush()
            assert "Loket Uji Urung" in [unit.name for unit in active_units(tenant)]  # its own write, at once
            db.session.rollback()
            assert active_units(tenant) == before  # kept under a stamp that never committed
            db.session.add(ServiceUnit(tenant_id=tenant.id, name="Loket Uji Tetap"))
            db.session.commit()
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            assert [unit.name for unit in active_units(tenant)] == sorted([u.name for u in before] + ["Loket Uji Tetap"])


def test_a_version_published_is_in_force_within_its_own_transaction_and_gone_with_its_rollback(metro, ctx):
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            first = store.in_force(tenant)
            assert first is not None
            first_id = first.id
            draft = drafts.start_draft(tenant, None)
            draft.number = "URUNG/1/2026"
            drafts.publish_draft(draft, clock.office_today(tenant), None)
            assert store.in_force(tenant).number == "URUNG/1/2026"
            db.session.rollback()
            assert store.in_force(tenant).id == first_id


def test_a_version_scheduled_for_tomorrow_takes_over_at_the_offices_midnight(metro, ctx, travel):
    """Nothing is written at midnight: the office's day is part of what is kept."""
    travel(datetime(2026, 12, 4, 23, 50, tzinfo=clock.zone("Asia/Jakarta")))
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            today = clock.office_today(tenant)
            current = store.in_force(tenant).number
            draft = drafts.start_draft(tenant, None)
            draft.number = "BESOK/1/2026"
            drafts.publish_draft(draft, today + timedelta(days=1), None)
            db.session.commit()
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            assert store.in_force(tenant).number == current
            assert store.in_force(tenant).number == current  # and now from what this worker keeps
    travel(datetime(2026, 12, 5, 0, 5, tzinfo=clock.zone("Asia/Jakarta")))
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            assert store.in_force(tenant).number == "BESOK/1/2026"
