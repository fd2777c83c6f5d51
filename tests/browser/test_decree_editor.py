"""The office admin's decree pages in a real browser: the simulator answers in place (htmx),
the editor shows a bad value next to its field, and the matrix grid takes a ticked cell."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import login, shoot


def test_simulator_answers_in_place(live_server, page_factory):
    page = page_factory(locale="en")
    login(page, live_server, "officer.disdikbud@tanggap.demo")
    page.goto(f"{live_server}/disdikbud-metro/staff/decree/")
    assert page.locator("#simulator label", has_text="Service fee").count() == 1
    page.check("#simulator input[value=fee]")
    page.fill("#delay", "45m")
    page.fill("#overcharge", "25000")
    page.click("#simulator button[type=submit]")
    page.wait_for_selector("#simulator [role=status]")
    assert page.url.endswith("/staff/decree/")  # answered by htmx, no navigation
    assert "Pen" in page.inner_text("#simulator") and "IDR25,000" in page.inner_text("#simulator")
    shoot(page, "decree-simulator-disdikbud-metro-en")


def _open_a_draft(page, live_server: str, slug: str) -> str:
    """As the office's admin, start a draft (or open the one there is); its version."""
    login(page, live_server, f"admin.{slug.split('-')[0]}@tanggap.demo")
    page.goto(f"{live_server}/{slug}/staff/decree/")
    page.click("form[action$='/staff/decree/drafts'] button, a[href$='/edit']")
    page.wait_for_url("**/edit")
    return page.url.rstrip("/").split("/")[-2]


def test_editor_keeps_a_bad_value_and_marks_its_field(live_server, page_factory):
    page = page_factory(locale="id")
    _open_a_draft(page, live_server, "dinsos-lampung")
    for name, value in {"code": "A", "name.id": "Ringan", "name.en": "Light", "min_delay": "30 menit",
                        "item.id": "Pulpen", "item.en": "Pen"}.items():
        page.fill(f"[name='souvenir_tiers[0].{name}']", value)
    page.click("text=Periksa dan simpan draf")
    assert page.input_value("[name='souvenir_tiers[0].min_delay']") == "30 menit"
    assert page.input_value("[name='souvenir_tiers[0].item.en']") == "Pen"
    assert page.locator("#souvenir_tiers-0-min_delay-error").is_visible()
    assert page.get_attribute("[name='souvenir_tiers[0].min_delay']", "aria-invalid") == "true"
    shoot(page, "decree-editor-error-dinsos-lampung-id")


def test_the_matrix_grid_takes_a_ticked_cell_into_the_draft(live_server, page_factory):
    page = page_factory(locale="en")
    version = _open_a_draft(page, live_server, "disdikbud-metro")
    # The matrix grid: the "procedure" row (second) gains the souvenir column.
    souvenir = page.locator("label", has_text="Souvenir").first.get_attribute("for").rsplit("-c", 1)[1]
    box = page.locator(f"#components\\[1\\]-c{souvenir}")
    assert not box.is_checked()
    box.check()
    page.click("text=Check and save the draft")
    page.wait_for_selector("text=The draft is saved.")
    assert page.locator(f"#components\\[1\\]-c{souvenir}").is_checked()
    page.goto(f"{live_server}/disdikbud-metro/staff/decree/{version}")
    procedure = page.locator("table.matrix tbody tr").nth(1)
    expect(procedure).to_contain_text("souvenir", ignore_case=True)
    shoot(page, "decree-matrix-grid-disdikbud-metro-en")
