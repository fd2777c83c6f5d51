"""Leaders are told of new complaints: on their bell within the minute, and in one e-mail a day
at the hour the office sets, in the office's own zone; each complaint once per person."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tanggap import clock
from tanggap.alerts import new_complaints
from tanggap.alerts.models import AlertSettings, NewComplaintNotice
from tanggap.extensions import db
from tanggap.notifications.models import ChannelSettings, OutboxMessage, StaffNotification
from tanggap.tenancy.scoping import every_office
from tanggap.database import unit_of_work

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def _tell(ctx):
    with ctx(), unit_of_work():  # as the job does
        return new_complaints.tell(clock.now())


def _bells(ctx, user_id: int) -> list[str]:
    with ctx():
        return list(db.session.execute(every_office(select(StaffNotification.key).where(StaffNotification.user_id == user_id)
                                       .order_by(StaffNotification.id))).scalars())


def _digests(ctx) -> list[OutboxMessage]:
    with ctx():
        rows = db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.key.like("new-complaints:%"))
                                  .order_by(OutboxMessage.id))).scalars().all()
        db.session.expunge_all()
        return list(rows)


def _settings(ctx, office, **fields) -> None:
    with ctx():
        db.session.add(AlertSettings(tenant_id=office.tenant.id, points=[], **fields))
        db.session.commit()


def test_leaders_and_the_chosen_hear_of_a_new_complaint_once(make, ctx, new_visitor, travel):
    travel(datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    office = make.office_with_staff("dinas-alpha")
    other = make.member(office.tenant, "officer", "kasir@dinas-alpha.example")
    _settings(ctx, office, digest_hour=7, new_complaints_to=[other.id])
    filed = make.complaint(office)
    assert _tell(ctx).rung == 2
    assert _tell(ctx).rung == 0  # a minute later: nobody is told twice
    key = f"new-complaint:{filed.id}"
    assert _bells(ctx, office.leader.id) == [key] and _bells(ctx, other.id) == [key]
    assert _bells(ctx, office.officer.id) == [] and _bells(ctx, office.admin.id) == []

    leader = new_visitor()
    leader.login(office.leader.email)
    assert 'id="bell-count">1<' in leader.get("/dinas-alpha/staff/notifications/bell").get_data(as_text=True)
    listing = leader.get("/dinas-alpha/staff/notifications/").get_data(as_text=True)
    assert f"Pengaduan baru {filed.number}" in listing and f"/dinas-alpha/staff/complaints/{filed.number}" in listing


def test_the_daily_e_mail_goes_at_the_offices_hour_with_each_complaint_once(make, ctx, travel):
    travel(datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    office = make.office_with_staff("dinas-alpha")
    _settings(ctx, office, digest_hour=7)
    first = make.complaint(office)
    travel(datetime(2026, 12, 1, 15, 0, tzinfo=WIB))
    second = make.complaint(office)
    assert _tell(ctx).mailed == 0 and _digests(ctx) == []  # rung, not e-mailed: 07.00 has not come yet
    travel(datetime(2026, 12, 2, 6, 59, tzinfo=WIB))
    assert _tell(ctx).mailed == 0
    travel(datetime(2026, 12, 2, 7, 0, tzinfo=WIB))
    assert _tell(ctx).mailed == 1
    assert _tell(ctx).mailed == 0  # the same hour again: nothing new
    [digest] = _digests(ctx)
    assert digest.recipient == office.leader.email and digest.subject == "2 pengaduan baru di Dinas Dinas-Alpha"
    assert first.number in digest.body and second.number in digest.body
    travel(datetime(2026, 12, 2, 7, 30, tzinfo=WIB))
    third = make.complaint(office)
    assert _tell(ctx).mailed == 0  # filed after today's hour: tomorrow's e-mail
    travel(datetime(2026, 12, 3, 7, 1, tzinfo=WIB))
    assert _tell(ctx).mailed == 1
    later = _digests(ctx)[-1]
    assert third.number in later.body and first.number not in later.body


def test_the_hour_is_the_offices_own(make, ctx, travel):
    travel(datetime(2026, 12, 1, 10, 0, tzinfo=WIT))
    office = make.office_with_staff("dinas-papua", timezone="Asia/Jayapura")
    _settings(ctx, office, digest_hour=7)
    make.complaint(office)
    travel(datetime(2026, 12, 2, 6, 30, tzinfo=WIT))  # 04.30 WIB: Jakarta's 07.00 is far off, Jayapura's near
    assert _tell(ctx).mailed == 0
    travel(datetime(2026, 12, 2, 7, 0, tzinfo=WIT))
    assert _tell(ctx).mailed == 1


def test_no_hour_set_means_the_bell_only_and_e_mail_off_sends_none(make, ctx, travel):
    travel(datetime(2026, 12, 1, 10, 0, tzinfo=WIB))
    quiet = make.office_with_staff("dinas-alpha")
    _settings(ctx, quiet, digest_hour=None)
    make.complaint(quiet)
    off = make.office_with_staff("dinas-beta", region="kota-beta")
    with ctx():
        db.session.add(ChannelSettings(tenant_id=off.tenant.id, email_enabled=False))
        db.session.commit()
    make.complaint(off)  # no settings of its own: the default hour, 07.00
    assert _tell(ctx).rung == 2
    travel(datetime(2026, 12, 2, 8, 0, tzinfo=WIB))
    assert _tell(ctx).mailed == 0 and _digests(ctx) == []
    with ctx():
        waiting = db.session.execute(every_office(select(NewComplaintNotice.tenant_id).where(NewComplaintNotice.mailed_at.is_(None)))).scalars().all()
    assert waiting == [quiet.tenant.id]  # e-mail off: handled at the hour; no hour: never e-mailed


def test_the_cron_job_runs_both(app, make, ctx):
    from tanggap.alerts.tasks import new_complaints_job
    from tanggap.jobs import use_app

    office = make.office_with_staff("dinas-alpha")
    make.complaint(office)
    use_app(app)
    assert new_complaints_job()["rung"] == 1
