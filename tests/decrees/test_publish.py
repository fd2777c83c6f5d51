"""Publishing a decree with an effective date that reaches back: confirmed with a reason,
audited, and never moving a complaint already filed to another version."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tanggap import clock
from tanggap.audit.models import AuditLog
from tanggap.auth.models import User
from tanggap.complaints.models import Complaint
from tanggap.decrees import drafts, store
from tanggap.decrees.models import Decree
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.scoping import every_office

REASON = "Keputusan ditandatangani 1 Desember, diunggah terlambat."
FIRST_EFFECTIVE = date(2026, 1, 5)  # the factory's decree, version 1


@pytest.fixture
def office(make):
    """An office whose version 1 is in force with one complaint filed under it, and a draft version 2."""
    office = make.office_with_staff("dinas-alpha")
    office.first = make.complaint(office)
    office.draft = make.draft_decree(office.tenant, number="3/KPTS/2026")
    return office


def _today(ctx, office) -> date:
    with ctx():
        return clock.office_today(db.session.get_one(Tenant, office.tenant.id))


def _publish(ctx, office, day: date, reason: str | None = None) -> None:
    with ctx():
        tenant = db.session.get_one(Tenant, office.tenant.id)
        with bound_to(tenant):
            drafts.publish_draft(store.version(tenant, office.draft), day, db.session.get(User, office.admin.id),
                                 reason=reason)
            db.session.commit()


def _versions(ctx, office) -> list[tuple[int, str, date | None, date | None]]:
    with ctx():
        rows = db.session.execute(every_office(select(Decree).where(Decree.tenant_id == office.tenant.id)
                                  .order_by(Decree.version))).scalars()
        return [(d.version, d.status.value, d.effective_from, d.effective_until) for d in rows]


def _last_audit(ctx, office) -> AuditLog:
    with ctx():
        entry = db.session.execute(select(AuditLog).where(AuditLog.tenant_id == office.tenant.id)
                                   .order_by(AuditLog.seq.desc()).limit(1)).scalar_one()
        db.session.expunge(entry)
        return entry


def _decree_of(ctx, complaint_id: int) -> tuple[int, str]:
    with ctx():
        complaint = db.session.execute(every_office(select(Complaint).where(Complaint.id == complaint_id))).scalar_one()
        return complaint.decree.version, complaint.decree.number


# The rule, where it lives: drafts.publish_draft ------------------------------------------------

@pytest.mark.parametrize("reason", [None, "", "   ", "karena"])
def test_a_backdated_publication_without_a_reason_is_refused_and_changes_nothing(ctx, office, reason):
    yesterday = _today(ctx, office) - timedelta(days=1)
    before = _versions(ctx, office)
    with pytest.raises(drafts.UnconfirmedBackdating) as refused:
        _publish(ctx, office, yesterday, reason)
    assert refused.value.backdating.before_today and not refused.value.backdating.before_replaced
    assert _versions(ctx, office) == before == [(1, "published", FIRST_EFFECTIVE, None), (2, "draft", FIRST_EFFECTIVE, None)]


def test_a_date_before_the_version_in_force_is_backdated_too(ctx, office):
    with ctx():
        tenant = db.session.get_one(Tenant, office.tenant.id)
        with bound_to(tenant):
            found = drafts.backdating(tenant, FIRST_EFFECTIVE - timedelta(days=35))
            assert found is not None and found.before_today and found.before_replaced
            assert found.replaced is not None and found.replaced.version == 1


def test_a_date_before_a_scheduled_version_is_backdated_even_in_the_future(make, ctx):
    office = make.office_with_staff("dinas-alpha")
    first = make.draft_decree(office.tenant)
    today = _today(ctx, office)
    with ctx():
        tenant = db.session.get_one(Tenant, office.tenant.id)
        with bound_to(tenant):
            store.publish(store.version(tenant, first), today + timedelta(days=10))
            db.session.commit()
            found = drafts.backdating(tenant, today + timedelta(days=5))
            assert found is not None and found.before_replaced and not found.before_today
            assert drafts.backdating(tenant, today + timedelta(days=10)) is None


def test_a_backdated_publication_with_a_reason_is_audited_with_both_dates(ctx, office):
    today = _today(ctx, office)
    day = FIRST_EFFECTIVE - timedelta(days=35)
    _publish(ctx, office, day, REASON)
    assert _versions(ctx, office) == [(1, "published", FIRST_EFFECTIVE, day), (2, "published", day, None)]
    entry = _last_audit(ctx, office)
    assert entry.action == "decree.published"
    assert entry.before == {"version": 1, "number": "1/KPTS/2026", "effective_from": FIRST_EFFECTIVE.isoformat()}
    assert entry.after == {"version": 2, "number": "3/KPTS/2026", "effective_from": day.isoformat(),
                           "backdated": True, "office_today": today.isoformat(), "reason": REASON}


def test_complaints_filed_before_a_backdated_publication_keep_their_version(make, ctx, office):
    _publish(ctx, office, _today(ctx, office) - timedelta(days=30), REASON)
    later = make.complaint(office)
    assert _decree_of(ctx, office.first.id) == (1, "1/KPTS/2026")
    assert _decree_of(ctx, later.id) == (2, "3/KPTS/2026")
    with ctx():
        tenant = db.session.get_one(Tenant, office.tenant.id)
        first = db.session.execute(every_office(select(Complaint).where(Complaint.id == office.first.id))).scalar_one()
        with bound_to(tenant):
            # By the dates, version 2 now covers the day the first complaint was filed; the
            # complaint still names the version it was judged under.
            in_force_then = store.in_force(tenant, first.submitted_at)
            assert in_force_then is not None and in_force_then.version == 2
            assert first.decree.version == 1


def test_publishing_from_today_needs_no_reason(ctx, office):
    today = _today(ctx, office)
    _publish(ctx, office, today)
    assert _versions(ctx, office)[-1] == (2, "published", today, None)
    after = _last_audit(ctx, office).after
    assert after is not None and "backdated" not in after and "reason" not in after


# Through HTTP, as the office admin's browser does --------------------------------------------

def _publish_url(office) -> str:
    return f"/dinas-alpha/staff/decree/{office.draft}/publish"


def _post(visitor, office, language: str = "en", **fields: str):
    token = visitor.csrf_token(f"/dinas-alpha/staff/decree/{office.draft}/edit")
    return visitor.client.post(_publish_url(office), data={"csrf_token": token, **fields},
                               headers={"Accept-Language": language})


def test_a_past_date_is_answered_with_the_question_not_with_a_publication(ctx, office, visitor):
    visitor.login(office.admin.email)
    yesterday = _today(ctx, office) - timedelta(days=1)
    response = _post(visitor, office, effective_from=yesterday.isoformat())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="backdating"' in page and "This version would take effect from an earlier date" in page
    assert f'value="{yesterday.isoformat()}"' in page
    assert 'name="confirm_backdated"' in page and 'name="reason"' in page and 'name="asked"' in page
    assert "-error" not in page  # asked, not yet refused
    assert "Complaints already filed keep the decree they were judged under (version 1, number 1/KPTS/2026)" in page
    assert _versions(ctx, office)[-1][1] == "draft"


@pytest.mark.parametrize("language", ["en", "id"])
def test_confirming_without_a_reason_is_refused_beside_each_field_keeping_what_was_typed(ctx, office, visitor,
                                                                                          language):
    visitor.login(office.admin.email)
    day = (_today(ctx, office) - timedelta(days=3)).isoformat()
    response = _post(visitor, office, language, effective_from=day, asked="1", reason="lupa")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="confirm_backdated-error"' in page and 'id="reason-error"' in page
    assert f'value="{day}"' in page and "lupa</textarea>" in page
    expected = {"en": ("Tick this box to publish with an effective date in the past.",
                       "Say in a sentence why this version takes effect from an earlier date."),
                "id": ("Centang kotak ini untuk menerbitkan dengan tanggal berlaku di masa lalu.",
                       "Jelaskan dalam satu kalimat mengapa versi ini berlaku sejak tanggal yang lebih awal.")}
    for message in expected[language]:
        assert message in page
    assert _versions(ctx, office)[-1][1] == "draft"


def test_a_confirmed_backdated_publication_is_published_and_audited(ctx, office, visitor):
    visitor.login(office.admin.email)
    day = _today(ctx, office) - timedelta(days=3)
    response = _post(visitor, office, effective_from=day.isoformat(), asked="1", confirm_backdated="y",
                     reason=REASON)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/staff/decree/{office.draft}")
    assert _versions(ctx, office)[-1] == (2, "published", day, None)
    entry = _last_audit(ctx, office)
    assert entry.action == "decree.published" and entry.actor_id == office.admin.id
    assert entry.after is not None and entry.after["reason"] == REASON and entry.after["backdated"] is True
    index = visitor.get("/dinas-alpha/staff/decree/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "In force: number 3/KPTS/2026, version 2" in index


def test_a_date_from_today_on_publishes_straight_away(ctx, office, visitor):
    visitor.login(office.admin.email)
    today = _today(ctx, office)
    response = _post(visitor, office, effective_from=today.isoformat())
    assert response.status_code == 303
    assert _versions(ctx, office)[-1] == (2, "published", today, None)


def test_a_missing_date_is_said_beside_the_field(ctx, office, visitor):
    visitor.login(office.admin.email)
    response = _post(visitor, office, effective_from="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="effective_from-error"' in page and "Choose the date the decree is in force from." in page
    assert _versions(ctx, office)[-1][1] == "draft"


def test_a_decree_file_loaded_with_a_past_date_is_audited_as_backdated(app, ctx):
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "tenants" / "disdikbud-metro"
    assert app.test_cli_runner().invoke(args=["tenants", "load", str(folder)]).exit_code == 0
    with ctx():
        entry = db.session.execute(select(AuditLog).where(AuditLog.action == "decree.published")).scalar_one()
        tenant = db.session.get_one(Tenant, entry.tenant_id)
        assert entry.after == {"number": "002.b/KPTS/D-1/2024", "version": 1, "effective_from": "2024-01-04",
                               "backdated": True, "office_today": clock.office_today(tenant).isoformat()}
