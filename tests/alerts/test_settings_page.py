"""The admin's alert settings page: points written and shown in words in the reader's language,
a point that cannot be read refused with its reason beside it and nothing typed lost, and an
office without a head of office told so."""

from __future__ import annotations

import re

from sqlalchemy import select

from tanggap.alerts.models import AlertSettings
from tanggap.auth.models import Membership
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office
from tests.complaints.helpers import errors

URL = "/dinas-alpha/staff/alerts/settings"


def _admin(make, new_visitor, locale: str = "id"):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get(f"/locale/{locale}")
    return office, admin


def _stored(ctx, office) -> list[dict]:
    with ctx():
        return db.session.execute(every_office(select(AlertSettings.points).where(AlertSettings.tenant_id == office.tenant.id))).scalar_one()


def test_points_are_shown_in_words_of_the_readers_language(make, new_visitor):
    _office, admin = _admin(make, new_visitor)
    page = admin.get(URL).get_data(as_text=True)
    for words in ("separuh waktu", "12 jam sebelum batas waktu", "saat batas waktu", "1 hari setelah batas waktu"):
        assert f'value="{words}"' in page
    for code in ('value="half"', "12h_left", 'value="escalation"', 'value="due"'):
        assert code not in page
    admin.get("/locale/en")
    page = admin.get(URL).get_data(as_text=True)
    assert 'value="half time"' in page and 'value="12 hours before the deadline"' in page


def test_a_point_written_in_indonesian_or_english_is_saved(make, ctx, new_visitor):
    office, admin = _admin(make, new_visitor)
    saved = admin.submit(URL, {"points-0-when": "3 jam sebelum", "points-1-when": "3 hours before",
                               "points-2-when": "12 jam setelah", "points-2-escalate": "y", "digest_hour": "7"})
    assert saved.status_code == 422  # the same point twice
    assert "Titik ini sudah ada dalam daftar." in errors(saved)
    saved = admin.submit(URL, {"points-0-when": "3 jam sebelum", "points-1-when": "separuh waktu",
                               "points-2-when": "12 jam setelah", "points-2-escalate": "y", "digest_hour": "7"})
    assert saved.status_code == 303, errors(saved)
    assert [(p["anchor"], p["value"], "head" in p["audience"]) for p in _stored(ctx, office)] == [
        ("deadline", -180, False), ("share", 0.5, False), ("deadline", 720, True)]
    page = admin.get(URL).get_data(as_text=True)
    assert 'value="3 jam sebelum batas waktu"' in page and 'value="12 jam setelah batas waktu"' in page
    admin.get("/locale/en")
    again = admin.submit(URL, {"points-0-when": "3 hours before", "digest_hour": "7"})
    assert again.status_code == 303
    assert [p["code"] for p in _stored(ctx, office)] == ["before_180m"]  # the same point, the same name


def test_a_bad_point_is_refused_with_its_reason_beside_it_and_nothing_lost(make, ctx, new_visitor):
    _office, admin = _admin(make, new_visitor)
    refused = admin.submit(URL, {"points-0-when": "3 jam sebelum", "points-1-when": "besok pagi",
                                 "points-2-when": "5 jam", "digest_hour": "9"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    messages = errors(refused)
    assert any("Tulis titiknya dengan kata-kata" in m for m in messages)
    assert any("sebelum atau setelah batas waktu" in m for m in messages)
    assert 'id="points-1-when-error"' in html and 'aria-describedby="when-help points-1-when-error"' in html
    assert 'value="3 jam sebelum"' in html and 'value="besok pagi"' in html and 'value="5 jam"' in html
    assert '<option selected value="9">' in html or 'value="9" selected' in html
    with ctx():
        assert db.session.execute(every_office(select(AlertSettings.id))).first() is None  # nothing saved


def test_an_office_without_a_head_of_office_is_told_so(make, ctx, new_visitor):
    office, admin = _admin(make, new_visitor)
    for url in ("/dinas-alpha/staff/", "/dinas-alpha/staff/settings/staff", URL):
        page = admin.get(url).get_data(as_text=True)
        assert 'id="no-head-warning"' in page and "Belum ada kepala dinas yang ditandai." in page, url
        assert f'href="{URL}#heads"' in page
    with ctx():
        membership = db.session.execute(select(Membership).where(Membership.user_id == office.leader.id)).scalar_one()
        membership_id = membership.id
    assert admin.submit(URL, {"points-0-when": "saat batas waktu", "heads": [str(membership_id)],
                              "digest_hour": "7"}).status_code == 303
    for url in ("/dinas-alpha/staff/", "/dinas-alpha/staff/settings/staff", URL):
        assert 'id="no-head-warning"' not in admin.get(url).get_data(as_text=True)


def test_a_leader_invited_into_an_office_without_a_head_becomes_its_head(make, ctx, new_visitor):
    office, admin = _admin(make, new_visitor)
    assert admin.submit("/dinas-alpha/staff/settings/staff", {"name": "Ibu Kepala", "email": "kepala@example.org",
                                                              "role": "leader"}).status_code == 303
    assert admin.submit("/dinas-alpha/staff/settings/staff", {"name": "Pak Kabid", "email": "kabid@example.org",
                                                              "role": "leader"}).status_code == 303
    with ctx():
        heads = db.session.execute(select(Membership.head_of_office, Membership.user_id)
                                   .where(Membership.tenant_id == office.tenant.id, Membership.head_of_office)).all()
    assert len(heads) == 1
    assert 'id="no-head-warning"' not in admin.get("/dinas-alpha/staff/").get_data(as_text=True)


def test_the_demo_marks_each_offices_leader_as_head(app, make, ctx):
    from tanggap.auth.models import Role

    make.tenant("dinas-alpha")
    result = app.test_cli_runner().invoke(args=["demo", "--password", "rahasia-demo-123"])
    assert result.exit_code == 0, result.output
    with ctx():
        rows = db.session.execute(select(Membership.role, Membership.head_of_office)).all()
    assert {(role, head) for role, head in rows} == {(Role.LEADER, True), (Role.ADMIN, False), (Role.OFFICER, False)}


def test_the_admin_sets_who_else_hears_of_new_complaints_and_the_hour(make, ctx, new_visitor):
    office, admin = _admin(make, new_visitor)
    saved = admin.submit(URL, {"points-0-when": "saat batas waktu", "digest_hour": "",
                               "new_complaints_to": [str(office.officer.id)]})
    assert saved.status_code == 303, errors(saved)
    with ctx():
        row = db.session.execute(every_office(select(AlertSettings))).scalar_one()
        assert (row.digest_hour, row.new_complaints_to) == (None, [office.officer.id])  # "no e-mail" stays no e-mail
    page = admin.get(URL).get_data(as_text=True)
    assert re.findall(r'<input([^>]*)name="new_complaints_to"[^>]*value="(\d+)"', page) == [
        (' checked class="form-check-input" id="new_complaints_to-0" ', str(office.officer.id))]  # officers only
    assert admin.submit(URL, {"points-0-when": "saat batas waktu", "digest_hour": "16"}).status_code == 303
    with ctx():
        assert db.session.execute(every_office(select(AlertSettings.digest_hour))).scalar_one() == 16


def test_a_point_saved_before_keeps_its_name_so_it_does_not_fire_again(make, ctx, new_visitor):
    office, admin = _admin(make, new_visitor)
    with ctx():
        db.session.add(AlertSettings(tenant_id=office.tenant.id, digest_hour=7, points=[
            {"code": "six_hours_left", "anchor": "deadline", "value": -360.0, "audience": ["assignee", "leaders"]}]))
        db.session.commit()
    page = admin.get(URL).get_data(as_text=True)
    assert 'value="6 jam sebelum batas waktu"' in page and "six_hours_left" not in page
    assert admin.submit(URL, {"points-0-when": "6 jam sebelum", "points-1-when": "separuh waktu",
                              "digest_hour": "7"}).status_code == 303
    assert [p["code"] for p in _stored(ctx, office)] == ["six_hours_left", "half"]
