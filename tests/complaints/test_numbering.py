"""Ticket numbers: per office and year, gapless even when submissions race or fail;
tracking codes: random and forgiving of how people type them."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, delete, insert, select
from sqlalchemy.orm import Session

from tanggap.complaints.models import TicketCounter
from tanggap.complaints.numbering import (format_number, new_tracking_code, next_number,
                                          normalize_tracking_code)
from tanggap.extensions import db
from tanggap.tenancy.models import Region, Tenant
from tests.conftest import TEST_DATABASE_URL


def test_numbers_count_per_office_and_start_again_each_year(make, ctx):
    alpha, beta = make.tenant("dinas-alpha"), make.tenant("dinas-beta", region="kota-beta")
    with ctx():
        taken = [next_number(db.session, alpha.id, 2026) for _ in range(3)]
        assert taken == [1, 2, 3]
        assert next_number(db.session, beta.id, 2026) == 1
        assert next_number(db.session, alpha.id, 2027) == 1
        db.session.rollback()
        assert next_number(db.session, alpha.id, 2026) == 1  # a rolled-back number is given again
        year = 2026  # given, not read off the clock: the format alone is under test
        assert format_number(db.session.get(Tenant, alpha.id), year, 42) == f"DINAS-{year}-000042"


def test_the_number_carries_the_office_year_not_the_server_year(make, travel):
    """23:30 on New Year's Eve in WIB and 00:10 on New Year's Day in WIT are both 2027-12-31
    in UTC; each office numbers by its own year."""
    jakarta = make.office_with_staff("dinas-alpha", region="kota-alpha")
    jayapura = make.office_with_staff("dinas-papua", region="kota-jayapura", timezone="Asia/Jayapura")
    last = 2027  # both moments are frozen: the last day of this year in Jakarta, the first of the next in Jayapura
    travel(datetime(last, 12, 31, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta")))
    assert make.complaint(jakarta).number == f"DINAS-{last}-000001"
    travel(datetime(last + 1, 1, 1, 0, 10, tzinfo=ZoneInfo("Asia/Jayapura")))
    assert make.complaint(jayapura).number == f"DINAS-{last + 1}-000001"
    assert make.complaint(jakarta).number == f"DINAS-{last}-000002"  # 22:10 WIB: still the old year in Jakarta


def test_tracking_codes_are_random_and_read_back_however_typed():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = next(iter(codes))
    assert normalize_tracking_code(code.lower().replace("-", " ")) == code
    assert normalize_tracking_code(code.replace("-", "")) == code
    assert normalize_tracking_code("0000-1111-IIII") is None  # letters the alphabet leaves out
    assert normalize_tracking_code("K7QM-2XHD") is None
    assert normalize_tracking_code("'; DROP TABLE complaint;--") is None


@pytest.mark.postgres
def test_racing_submissions_get_gapless_numbers_on_postgresql():
    """Twenty sessions take numbers at once; every fourth rolls back. The committed numbers
    are exactly 1..15: waiting on the counter's row lock, nobody skips or repeats one."""
    engine = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=25)
    slug = f"race-{uuid.uuid4().hex[:8]}"
    with engine.begin() as connection:
        region_id = connection.execute(insert(Region).values(slug=slug, name=slug).returning(Region.id)).scalar_one()
        tenant_id = connection.execute(insert(Tenant).values(
            slug=slug, name={"id": slug, "en": slug}, region_id=region_id, timezone="Asia/Jakarta",
            default_locale="id", letterhead={}, brand_color="#0b5394", intro={}, active=True,
        ).returning(Tenant.id)).scalar_one()
    committed: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def submit(index: int) -> None:
        try:
            with Session(engine) as session:
                start.wait()
                number = next_number(session, tenant_id, 2026)
                threading.Event().wait(0.01)  # hold the lock a moment, as a real submission does
                if index % 4 == 0:
                    session.rollback()
                else:
                    session.commit()
                    committed.append(number)
        except BaseException as error:  # noqa: BLE001 - the thread's error is asserted on below  # pragma: no cover
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not errors
        assert sorted(committed) == list(range(1, 16))
        with engine.connect() as connection:
            last = connection.execute(select(TicketCounter.last).where(TicketCounter.tenant_id == tenant_id)).scalar()
        assert last == 15
    finally:
        with engine.begin() as connection:
            connection.execute(delete(TicketCounter).where(TicketCounter.tenant_id == tenant_id))
            connection.execute(delete(Tenant).where(Tenant.id == tenant_id))
            connection.execute(delete(Region).where(Region.id == region_id))
        engine.dispose()
