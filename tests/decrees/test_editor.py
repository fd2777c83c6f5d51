"""The office admin's decree editor, through HTTP as a browser would use it."""

from __future__ import annotations

import re

from pathlib import Path

import pytest
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.auth.models import Role
from tanggap.decrees.models import Decree
from tanggap.extensions import db
from tests.forms import form_with, replace
from tests.statements import counted
from tanggap.tenancy.scoping import every_office

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def metro(app, make):
    assert app.test_cli_runner().invoke(args=["tenants", "load", str(TENANTS / "disdikbud-metro")]).exit_code == 0
    with make.ctx():
        from tanggap.tenancy.models import Tenant

        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
    return {role: make.member(tenant, role) for role in Role} | {"tenant": tenant}


def _draft_page(visitor) -> tuple[str, str]:
    index = visitor.get("/disdikbud-metro/staff/decree/")
    response = visitor.client.post("/disdikbud-metro/staff/decree/drafts",
                                   data={"csrf_token": visitor.csrf_token("/disdikbud-metro/staff/decree/")})
    assert index.status_code == 200 and response.status_code == 303
    location = response.headers["Location"]
    return location, visitor.get(location).get_data(as_text=True)


def _problems(response) -> list[str]:
    """The editor's list of problems, to show when a save that should pass does not."""
    import re

    return re.findall(r"<li>.*?</li>", response.get_data(as_text=True).split("Please check", 1)[-1])[:10]


def _versions(ctx) -> list[tuple[int, str, int]]:
    with ctx():
        rows = db.session.execute(
            every_office(select(Decree).order_by(Decree.version))
        ).scalars()
        return [(d.version, d.status.value, d.deadline.hours) for d in rows]


def test_admin_drafts_changes_and_publishes_a_new_version(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    assert location.endswith("/staff/decree/2/edit")
    fields = form_with(html, "deadline.hours")
    assert fields["components[3].code"] == "fee"
    saved = visitor.client.post(location, data=replace(fields, deadline__hours="48"))
    assert saved.status_code == 303, _problems(saved)
    assert _versions(ctx) == [(1, "published", 72), (2, "draft", 48)]
    page = visitor.get(location).get_data(as_text=True)
    fields = replace(form_with(page, "effective_from"), effective_from="2025-01-01")
    fields["asked"], fields["confirm_backdated"], fields["reason"] = "1", "y", "Ditandatangani 1 Januari 2025."
    publish = visitor.client.post("/disdikbud-metro/staff/decree/2/publish", data=fields)
    assert publish.status_code == 303
    assert _versions(ctx) == [(1, "published", 72), (2, "published", 48)]
    with ctx():
        actions = db.session.execute(
            select(AuditLog.action).where(AuditLog.tenant_id == metro["tenant"].id).order_by(AuditLog.seq)
        ).scalars().all()
    assert actions[-3:] == ["decree.draft_started", "decree.draft_saved", "decree.published"]


def test_saving_unchanged_keeps_the_matrix_in_its_enacted_order(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    saved = visitor.client.post(location, data=form_with(html, "deadline.hours"))
    assert saved.status_code == 303, _problems(saved)
    with ctx():
        draft = db.session.execute(every_office(select(Decree).where(Decree.version == 2))).scalar_one()
        fee = next(c for c in draft.components if c.code == "fee")
        assert [cell.compensation.code for cell in fee.cells] == ["apology", "refund", "clarification", "souvenir"]
        assert [t.code for t in draft.tiers] == ["A", "B"]


def test_a_bad_value_is_shown_by_its_field_and_nothing_is_saved(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[0].min_delay": "sebentar",
                                                           "components[0].name.en": "", "decree.number": ""})
    response = visitor.client.post(location, data=fields, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="sebentar"' in page
    assert 'id="souvenir_tiers-0-min_delay-error"' in page
    assert 'id="components-0-name-en-error"' in page
    assert page.count("components-0-name-en-error") == 2  # the message, and the field pointing at it
    assert 'id="decree-number-error"' in page
    assert _versions(ctx) == [(1, "published", 72), (2, "draft", 72)]


@pytest.mark.parametrize(("language", "message"), [
    ("en", "must not contain control characters: remove them"),
    ("id", "tidak boleh memuat karakter kontrol: hapuslah"),
])
def test_a_control_character_pasted_into_a_field_is_refused_beside_it_and_the_rest_is_kept(
        metro, visitor, ctx, language, message):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"components[0].name.id": "Persyaratan\x00 pelayanan",
                                                           "decree.considerations[0]": "bahwa\x07 pelayanan;",
                                                           "deadline.hours": "48"})
    response = visitor.client.post(location, data=fields, headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("components-0-name-id", "decree-considerations-0"):
        assert message in page.split(f'id="{field}-error"')[1].split("</div>")[0]
    assert form_with(page, "deadline.hours")["deadline.hours"] == "48"  # what was typed elsewhere stays
    assert _versions(ctx) == [(1, "published", 72), (2, "draft", 72)]  # nothing saved


def test_overlapping_tiers_are_refused_like_in_a_file(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[1].min_delay": "45m"})
    response = visitor.client.post(location, data=fields, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "souvenir_tiers" in response.get_data(as_text=True)


def test_a_new_office_writes_its_decree_from_nothing(make, visitor, ctx):
    office = make.office_with_staff("dinas-gamma", region="kota-gamma")
    visitor.login(office.admin.email)
    visitor.get("/dinas-gamma/staff/decree/")
    response = visitor.client.post("/dinas-gamma/staff/decree/drafts",
                                   data={"csrf_token": visitor.csrf_token("/dinas-gamma/staff/decree/")})
    location = response.headers["Location"]
    fields = replace(form_with(visitor.get(location).get_data(as_text=True), "deadline.hours"), **{
        "decree.number": "100/KPTS/2026", "decree.title.id": "Kompensasi Layanan",
        "decree.title.en": "Service compensation", "decree.enacted_at": "2026-01-05", "decree.enacted_in": "Gamma",
        "decree.effective_from": "2026-01-05",
        "deadline.hours": "48",
        "compensations[0].code": "apology", "compensations[0].kind": "apology",
        "compensations[0].name.id": "Permohonan maaf", "compensations[0].name.en": "Apology",
    })
    first = visitor.client.post(location, data=fields)
    assert first.status_code == 422  # a decree needs at least one component: said, not saved
    fields = replace(fields, **{"components[0].code": "time", "components[0].name.id": "Jangka Waktu",
                                "components[0].name.en": "Service time"})
    fields.add("components[0].compensations", "0")  # the matrix: tick "apology" for "time"
    saved = visitor.client.post(location, data=fields)
    assert saved.status_code == 303, _problems(saved)
    page = visitor.get(location).get_data(as_text=True)
    fields = replace(form_with(page, "effective_from"), effective_from="2026-01-05")
    fields["asked"], fields["confirm_backdated"], fields["reason"] = "1", "y", "Ditandatangani 5 Januari 2026."
    published = visitor.client.post("/dinas-gamma/staff/decree/1/publish", data=fields)
    assert published.status_code == 303
    home = visitor.get("/dinas-gamma/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Service time" in home and "Apology" in home and "2 × 24" in home


@pytest.mark.parametrize(("role", "status"), [(Role.LEADER, 403), (Role.OFFICER, 403)])
def test_only_the_admin_edits_the_decree(metro, new_visitor, role, status):
    visitor = new_visitor()
    visitor.login(metro[role].email)
    assert visitor.get("/disdikbud-metro/staff/decree/").status_code == 200
    response = visitor.client.post("/disdikbud-metro/staff/decree/drafts",
                                   data={"csrf_token": visitor.csrf_token("/disdikbud-metro/staff/decree/")})
    assert response.status_code == status


def test_a_published_version_cannot_be_edited(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    response = visitor.get("/disdikbud-metro/staff/decree/1/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/decree/1")


def test_simulator_answers_in_place_with_htmx_and_as_a_page_without(metro, visitor):
    visitor.login(metro[Role.OFFICER].email)
    token = visitor.csrf_token("/disdikbud-metro/staff/decree/")
    data = {"csrf_token": token, "components": "fee", "delay": "45m", "overcharge": "25000"}
    fragment = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data=data,
                                   headers={"HX-Request": "true", "Accept-Language": "en"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert "Pen" in body and "IDR25,000" in body
    assert "HX-Request" in fragment.headers["Vary"]
    page = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data=data).get_data(as_text=True)
    assert "<html" in page and "Pulpen" in page


def test_simulator_with_nothing_chosen_says_so(metro, visitor):
    visitor.login(metro[Role.OFFICER].email)
    token = visitor.csrf_token("/disdikbud-metro/staff/decree/")
    response = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data={"csrf_token": token},
                                   headers={"Accept-Language": "en"})
    assert response.status_code == 422 and "Choose at least one component." in response.get_data(as_text=True)


def test_the_printable_attachment_is_public(metro, visitor):
    html = visitor.get("/disdikbud-metro/lampiran").get_data(as_text=True)
    assert "002.b/KPTS/D-1/2024" in html and "Tempat Air Minum" in html and "SUWANDI" in html


def test_pages_showing_the_matrix_read_it_in_a_fixed_number_of_queries(metro, visitor):
    """Five components and their cells must not cost a query per cell or per component (no N+1)."""
    visitor.login(metro[Role.ADMIN].email)
    for path in ("/disdikbud-metro/", "/disdikbud-metro/lampiran", "/disdikbud-metro/staff/decree/1"):
        with counted(only="SELECT") as statements:
            assert visitor.get(path).status_code == 200
        assert len(statements) <= 12, (path, len(statements))


# Durations in words, the tier bounds, problems in words, the decree's text, simulating a draft ----------


def _tiers(ctx, version: int) -> list[tuple[str, int, int | None]]:
    with ctx():
        draft = db.session.execute(every_office(select(Decree).where(Decree.version == version))).scalar_one()
        return [(t.code, t.min_delay_minutes, t.max_delay_minutes) for t in draft.tiers]


@pytest.mark.parametrize(("language", "light", "severe"), [("id", ("30 menit", "1 jam"), ("3 hari", "1 minggu")),
                                                           ("en", ("30 minutes", "1 hour"), ("3 days", "1 week"))])
def test_the_editor_shows_tier_bounds_in_words_of_the_readers_language(metro, visitor, language, light, severe):
    visitor.login(metro[Role.ADMIN].email)
    location, _ = _draft_page(visitor)
    fields = form_with(visitor.get(location, headers={"Accept-Language": language}).get_data(as_text=True),
                       "deadline.hours")
    assert (fields["souvenir_tiers[0].min_delay"], fields["souvenir_tiers[0].max_delay"]) == light
    assert (fields["souvenir_tiers[1].min_delay"], fields["souvenir_tiers[1].max_delay"]) == severe


def test_metros_gap_is_filled_with_a_1h_to_3d_category_in_words(metro, visitor, ctx):
    """The category meets A at one hour and B at three days: neither overlap nor gap is reported."""
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{
        "souvenir_tiers[2].code": "C", "souvenir_tiers[2].name.id": "Kategori Sedang",
        "souvenir_tiers[2].name.en": "Moderate", "souvenir_tiers[2].min_delay": "1 jam",
        "souvenir_tiers[2].max_delay": "3 hari", "souvenir_tiers[2].item.id": "Buku tulis",
        "souvenir_tiers[2].item.en": "Notebook"})
    saved = visitor.client.post(location, data=fields)
    assert saved.status_code == 303, _problems(saved)
    assert _tiers(ctx, 2) == [("A", 30, 60), ("B", 3 * 24 * 60, 7 * 24 * 60), ("C", 60, 3 * 24 * 60)]
    page = visitor.get(location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "no category covers" not in page and "overlaps" not in page


@pytest.mark.parametrize("written", ["2 jam", "3 hari", "1 minggu", "2 days", "1 hari 12 jam", "2x24 jam", "90m"])
def test_tier_bounds_are_accepted_in_words(metro, visitor, ctx, written):
    from tanggap.decrees.durations import parse_duration

    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[1].max_delay": "", "souvenir_tiers[1].min_delay": written})
    saved = visitor.client.post(location, data=fields)
    assert saved.status_code == 303, _problems(saved)
    minutes = int(parse_duration(written).total_seconds() // 60)
    assert ("B", minutes, None) in _tiers(ctx, 2)


def test_a_tier_sharing_a_bound_with_its_neighbour_is_not_an_overlap_but_crossing_it_is(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    meeting = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[1].min_delay": "1 jam"})
    assert visitor.client.post(location, data=meeting).status_code == 303
    crossing = replace(form_with(visitor.get(location).get_data(as_text=True), "deadline.hours"),
                       **{"souvenir_tiers[1].min_delay": "59 menit"})
    response = visitor.client.post(location, data=crossing, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "overlaps category A" in response.get_data(as_text=True)


def test_problems_are_named_in_words_beside_their_field_and_nothing_typed_is_lost(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[1].min_delay": "tiga hari",
                                                           "decree.signer.name": "Dr. SITI AMINAH, M.Pd",
                                                           "decree.considerations[0]": "bahwa pelayanan harus tepat waktu;"})
    for language, label, reason in [
        ("en", "Souvenir categories, row 2: From", "is not a duration: write e.g. 45 minutes"),
        ("id", "Kategori souvenir, baris 2: Dari", "bukan lama waktu: tulis misalnya 45 menit"),
    ]:
        response = visitor.client.post(location, data=fields, headers={"Accept-Language": language})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "souvenir_tiers[1].min_delay</" not in page and "<code>souvenir_tiers" not in page
        assert f'<a href="#souvenir_tiers-1-min_delay">{label}</a>' in page
        beside = page.split('id="souvenir_tiers-1-min_delay-error"')[1].split("</div>")[0]
        assert reason in beside
        typed = form_with(page, "deadline.hours")
        assert typed["souvenir_tiers[1].min_delay"] == "tiga hari"
        assert typed["decree.signer.name"] == "Dr. SITI AMINAH, M.Pd"
        assert typed["decree.considerations[0]"] == "bahwa pelayanan harus tepat waktu;"
    assert _tiers(ctx, 2)[1] == ("B", 3 * 24 * 60, 7 * 24 * 60)


def test_the_editor_writes_menimbang_mengingat_decisions_signer_and_tembusan(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = form_with(html, "deadline.hours")
    assert fields["decree.signer.name"] == "SUWANDI, S.IP.,MM"
    assert fields["decree.decisions[0].label"] == "KESATU"
    considered = [k for k in fields if k.startswith("decree.considerations[") and not k.endswith(".remove")]
    changes = {
        "decree.considerations[0]": "bahwa pelayanan publik harus tepat waktu;",
        f"decree.considerations[{len(considered) - 2}]": "bahwa butir baru ditambahkan;",  # the first blank line
        "decree.legal_basis[0]": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "decree.decisions[0].text": "Menetapkan ketentuan kompensasi yang baru.",
        "decree.signer.name": "Dr. SITI AMINAH, M.Pd", "decree.signer.rank": "Pembina Tingkat I",
        "decree.signer.nip": "19750101 200003 2 001", "decree.signer.position": "Kepala Dinas",
        "decree.copies_to[0]": "Walikota Metro",
    }
    fields = replace(fields, **changes)
    fields.add("decree.copies_to[1].remove", "1")
    saved = visitor.client.post(location, data=fields)
    assert saved.status_code == 303, _problems(saved)
    with ctx():
        draft = db.session.execute(every_office(select(Decree).where(Decree.version == 2))).scalar_one()
        original = db.session.execute(every_office(select(Decree).where(Decree.version == 1))).scalar_one()
        assert draft.considerations[0] == "bahwa pelayanan publik harus tepat waktu;"
        assert draft.considerations[-1] == "bahwa butir baru ditambahkan;"
        assert len(draft.considerations) == len(original.considerations) + 1
        assert draft.legal_basis[0].startswith("Undang-Undang Nomor 25")
        assert draft.decisions[0] == {"label": "KESATU", "text": "Menetapkan ketentuan kompensasi yang baru."}
        assert draft.signer == {"name": "Dr. SITI AMINAH, M.Pd", "position": "Kepala Dinas",
                                "rank": "Pembina Tingkat I", "nip": "19750101 200003 2 001"}
        assert draft.copies_to == ["Walikota Metro", *original.copies_to[2:]]
        assert original.signer["name"] == "SUWANDI, S.IP.,MM"  # the version in force never changes


def test_a_bad_nip_is_said_beside_the_signer_and_kept_as_typed(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    response = visitor.client.post(location, data=replace(form_with(html, "deadline.hours"),
                                                          **{"decree.signer.nip": "1975"}),
                                   headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "a NIP has 18 digits" in page.split('id="decree-signer-nip-error"')[1].split("</div>")[0]
    assert form_with(page, "deadline.hours")["decree.signer.nip"] == "1975"


def test_a_new_office_writes_its_whole_decree_text_from_nothing(make, visitor, ctx):
    office = make.office_with_staff("dinas-delta", region="kota-delta")
    visitor.login(office.admin.email)
    visitor.get("/dinas-delta/staff/decree/")
    location = visitor.client.post("/dinas-delta/staff/decree/drafts", data={
        "csrf_token": visitor.csrf_token("/dinas-delta/staff/decree/")}).headers["Location"]
    fields = replace(form_with(visitor.get(location).get_data(as_text=True), "deadline.hours"), **{
        "decree.number": "7/KPTS/2026", "decree.title.id": "Kompensasi", "decree.title.en": "Compensation",
        "decree.enacted_at": "2026-02-02", "decree.enacted_in": "Delta", "decree.funding": "APBD",
        "decree.considerations[0]": "bahwa a;", "decree.considerations[1]": "bahwa b;",
        "decree.legal_basis[0]": "Undang-Undang Nomor 25 Tahun 2009",
        "decree.decisions[0].label": "KESATU", "decree.decisions[0].text": "Menetapkan kompensasi.",
        "decree.signer.name": "BUDI", "decree.signer.position": "Kepala Dinas",
        "decree.copies_to[0]": "Walikota Delta", "decree.revokes[0]": "1/KPTS/2020",
        "decree.policy[0]": "Kompensasi diberikan kepada penerima layanan.\na. permohonan maaf;",
        "decree.closing": "Keputusan ini berlaku sejak tanggal ditetapkan.",
        "compensations[0].code": "apology", "compensations[0].kind": "apology",
        "compensations[0].name.id": "Permohonan maaf", "compensations[0].name.en": "Apology",
        "components[0].code": "time", "components[0].name.id": "Jangka Waktu", "components[0].name.en": "Time",
    })
    fields.add("components[0].compensations", "0")
    saved = visitor.client.post(location, data=fields)
    assert saved.status_code == 303, _problems(saved)
    with ctx():
        draft = db.session.execute(every_office(select(Decree).where(Decree.tenant_id == office.tenant.id))).scalar_one()
        assert draft.considerations == ["bahwa a;", "bahwa b;"] and draft.revokes == ["1/KPTS/2020"]
        assert draft.decisions == [{"label": "KESATU", "text": "Menetapkan kompensasi."}]
        assert {k: v for k, v in draft.signer.items() if v} == {"name": "BUDI", "position": "Kepala Dinas"}
        assert draft.funding == "APBD"
        assert draft.copies_to == ["Walikota Delta"]
        assert draft.document["policy"] == ["Kompensasi diberikan kepada penerima layanan.\na. permohonan maaf;"]
        assert draft.document["closing"] == "Keputusan ini berlaku sejak tanggal ditetapkan."


def test_a_draft_is_simulated_clearly_labelled_while_the_version_in_force_is_not_changed(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{
        "souvenir_tiers[2].code": "C", "souvenir_tiers[2].name.id": "Kategori Sedang",
        "souvenir_tiers[2].name.en": "Moderate", "souvenir_tiers[2].min_delay": "1 jam",
        "souvenir_tiers[2].max_delay": "3 hari", "souvenir_tiers[2].item.id": "Buku tulis",
        "souvenir_tiers[2].item.en": "Notebook"})
    assert visitor.client.post(location, data=fields).status_code == 303
    page = visitor.get(location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Simulating the draft, version 2, as last saved: it is not in force." in page
    data = replace(form_with(page, "delay"), delay="2 jam")
    data.add("components", "fee")
    fragment = visitor.client.post("/disdikbud-metro/staff/decree/2/simulate", data=data,
                                   headers={"HX-Request": "true", "Accept-Language": "en"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert "Under the draft, version 2 (not in force):" in body and "Category C" in body and "Notebook" in body
    # The deadline as a receipt promises it: to the minute, in the office's zone, never seconds.
    due = re.search(r"due by (.*?)\.</p>", body).group(1)
    assert due.endswith("Western Indonesia Time") and not re.search(r"\d:\d\d:\d\d", due)
    whole = visitor.client.post("/disdikbud-metro/staff/decree/2/simulate", data=data,
                                headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<html" in whole and "Notebook" in whole and 'name="deadline.hours"' in whole  # back on the editor
    in_force = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data=data,
                                   headers={"HX-Request": "true", "Accept-Language": "en"}).get_data(as_text=True)
    assert "No souvenir tier covers a delay of 2 hours" in in_force and "not in force" not in in_force


@pytest.mark.parametrize(("delay", "language"), [("2 hari", "id"), ("2 days", "en"), ("1 hari 12 jam", "en"),
                                                 ("3 x 24 jam", "id")])
def test_the_simulator_reads_delays_in_words(metro, visitor, delay, language):
    visitor.login(metro[Role.OFFICER].email)
    token = visitor.csrf_token("/disdikbud-metro/staff/decree/")
    response = visitor.client.post("/disdikbud-metro/staff/decree/simulate", headers={"HX-Request": "true", "Accept-Language": language},
                                   data={"csrf_token": token, "components": "fee", "delay": delay, "overcharge": "0"})
    assert response.status_code == 200


def test_the_simulator_refuses_a_delay_it_cannot_read_beside_the_field(metro, visitor):
    visitor.login(metro[Role.OFFICER].email)
    token = visitor.csrf_token("/disdikbud-metro/staff/decree/")
    response = visitor.client.post("/disdikbud-metro/staff/decree/simulate",
                                   headers={"HX-Request": "true", "Accept-Language": "id"},
                                   data={"csrf_token": token, "components": "fee", "delay": "lama sekali"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tulis berapa lama, misalnya 45 menit" in body and 'value="lama sekali"' in body
