"""The office admin's settings: a readable brand colour, a logo checked and scaled, the
letterhead, language, time zone and public texts; admins only; audited."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tests.complaints.helpers import errors

URL = "/dinas-alpha/staff/settings"


def _form(**overrides) -> dict:
    return {"brand_color": "#0b5394", "default_locale": "id", "timezone": "Asia/Jakarta", "government_id": "",
            "government_en": "", "address": "Jalan Alpha 1", "phone": "", "fax": "", "website": "", "email": "",
            "intro_id": "", "intro_en": ""} | overrides


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 83, 148)).save(out, format="PNG")
    return out.getvalue()


def test_only_the_office_admin_changes_the_settings(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    for role, status in (("admin", 200), ("leader", 403), ("officer", 403)):
        visitor = new_visitor()
        visitor.login(getattr(office, role).email)
        assert visitor.get(URL).status_code == status


def test_settings_show_on_the_public_page_and_are_audited(make, new_visitor, visitor, ctx):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    saved = admin.submit(URL, _form(intro_id="Kami melayani dengan sepenuh hati.", government_id="PEMERINTAH KOTA ALPHA",
                                    timezone="Asia/Makassar", brand_color="#7A1F1F"))
    assert saved.status_code == 303, errors(saved)
    home = visitor.get("/dinas-alpha/").get_data(as_text=True)
    assert "Kami melayani dengan sepenuh hati." in home and "PEMERINTAH KOTA ALPHA" in home
    assert "--brand:#7a1f1f" in visitor.get("/dinas-alpha/brand.css").get_data(as_text=True)
    with ctx():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "dinas-alpha")).scalar_one()
        assert tenant.timezone == "Asia/Makassar"
        entry = db.session.execute(select(AuditLog).where(AuditLog.action == "tenant.settings_changed")).scalar_one()
        assert entry.before["brand_color"] == "#0b5394" and entry.after["brand_color"] == "#7a1f1f"


def test_a_colour_too_light_to_read_is_refused_and_the_form_kept(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/en")
    refused = admin.submit(URL, _form(brand_color="#ffee58", address="Jalan Kuning 9"))
    assert refused.status_code == 422
    assert any("Too light" in message and "need 4.5 : 1" in message for message in errors(refused))
    assert 'value="Jalan Kuning 9"' in refused.get_data(as_text=True)


def test_a_colour_with_a_line_break_after_it_is_refused(make, new_visitor):
    """A pattern ending in $ also matched before a final line break, so a crafted request saved
    "#7a1f1f\\n" into the office's stylesheet."""
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/en")
    refused = admin.submit(URL, _form(brand_color="#7a1f1f\n"))
    assert refused.status_code == 422 and "Write the colour as #rrggbb." in errors(refused)


def test_the_contrast_is_written_as_the_reader_writes_numbers(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/id")
    refused = admin.submit(URL, _form(brand_color="#ffee58"))
    assert refused.status_code == 422
    assert any("4,5 : 1" in message and "4.5" not in message for message in errors(refused)), errors(refused)


def test_a_logo_is_checked_by_content_and_scaled_down(make, new_visitor, visitor):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/en")
    fake = admin.submit(URL, _form(logo=(io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")),
                        content_type="multipart/form-data")
    assert fake.status_code == 422 and "The logo must be a PNG, JPEG or WebP image." in errors(fake)
    saved = admin.submit(URL, _form(logo=(io.BytesIO(_png(1200, 600)), "lambang.png")),
                         content_type="multipart/form-data")
    assert saved.status_code == 303
    logo = visitor.get("/dinas-alpha/logo")
    assert logo.mimetype == "image/png"
    assert Image.open(io.BytesIO(logo.data)).size == (256, 128)


def test_the_admin_invites_staff_changes_roles_and_keeps_an_admin(make, new_visitor, ctx):
    from tanggap.auth.models import Membership, Role, User
    from tanggap.extensions import mail

    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/en")
    with mail.record_messages() as sent:
        invited = admin.submit(URL + "/staff", {"name": "Petugas Baru", "email": "baru@example.org", "role": "officer"})
    assert invited.status_code == 303 and len(sent) == 1
    with ctx():
        new = db.session.execute(select(User).where(User.email == "baru@example.org")).scalar_one()
        membership = db.session.execute(select(Membership).where(Membership.user_id == new.id)).scalar_one()
        assert membership.role is Role.OFFICER
        own = db.session.execute(select(Membership.id).where(Membership.user_id == office.admin.id)).scalar_one()
    assert admin.submit(f"{URL}/staff/{membership.id}", {"role": "leader"}, page=URL + "/staff").status_code == 303
    kept = admin.submit(f"{URL}/staff/{own}", {"role": "none"}, page=URL + "/staff")
    assert kept.status_code == 303
    assert "An office keeps at least one admin." in admin.get(URL + "/staff").get_data(as_text=True)
    with ctx():
        assert db.session.get(Membership, membership.id).role is Role.LEADER
        assert db.session.get(Membership, own) is not None
        actions = db.session.execute(select(AuditLog.action)).scalars().all()
        assert "membership.invited" in actions and "membership.changed" in actions
