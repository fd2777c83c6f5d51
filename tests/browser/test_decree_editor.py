"""The office admin's decree pages in a real browser: the simulator answers in place (htmx),
the editor shows a bad value next to its field, the matrix grid takes a ticked cell, and a
draft is written in words, fills Metro's tier gap and is simulated before it is in force."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, login, shoot
from .test_accessibility import serious_violations


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
    for name, value in {"code": "A", "name.id": "Ringan", "name.en": "Light", "min_delay": "sebentar",
                        "item.id": "Pulpen", "item.en": "Pen"}.items():
        page.fill(f"[name='souvenir_tiers[0].{name}']", value)
    page.click("text=Periksa dan simpan draf")
    assert page.input_value("[name='souvenir_tiers[0].min_delay']") == "sebentar"
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


#: What the admin types, and reads back, in each language.
WORDS = {
    "id": {"a_max": "1 jam", "b_min": "3 hari", "low": "1 jam", "high": "3 hari", "bad": "tiga hari", "delay": "2 jam",
           "save": "Periksa dan simpan draf", "saved": "Draf telah disimpan.", "label": "Kategori souvenir, baris 3: Sampai (tidak termasuk)",
           "reason": "bukan lama waktu", "draft": "Menurut draf versi", "category": "Kategori C"},
    "en": {"a_max": "1 hour", "b_min": "3 days", "low": "1 hour", "high": "3 days", "bad": "three days", "delay": "2 hours",
           "save": "Check and save the draft", "saved": "The draft is saved.", "label": "Souvenir categories, row 3: Up to (not including)",
           "reason": "is not a duration", "draft": "Under the draft, version", "category": "Category C"},
}


def _fresh_draft(page, live_server: str) -> None:
    """Metro's admin starts a draft from the version in force (discarding one left by another test)."""
    login(page, live_server, "admin.disdikbud@tanggap.demo")
    page.goto(f"{live_server}/disdikbud-metro/staff/decree/")
    if page.locator("a[href$='/edit']").count():
        page.click("a[href$='/edit']")
        page.click("form[action$='/discard'] button")
        page.wait_for_url("**/staff/decree/")
    page.click("form[action$='/staff/decree/drafts'] button")
    page.wait_for_url("**/edit")


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_draft_is_written_in_words_fills_metros_gap_and_is_simulated(live_server, page_factory, language):
    words = WORDS[language]
    page = page_factory(locale=language)
    _fresh_draft(page, live_server)
    # The bounds read in words of the reader's language, and the new category meets both neighbours.
    assert page.input_value("[name='souvenir_tiers[0].max_delay']") == words["a_max"]
    assert page.input_value("[name='souvenir_tiers[1].min_delay']") == words["b_min"]
    for name, value in {"code": "C", "name.id": "Kategori Sedang", "name.en": "Moderate", "min_delay": words["low"],
                        "max_delay": words["bad"], "item.id": "Buku tulis", "item.en": "Notebook"}.items():
        page.fill(f"[name='souvenir_tiers[2].{name}']", value)
    page.fill("[name='decree.considerations[0]']", "bahwa kompensasi diberikan menurut lamanya keterlambatan;")
    page.fill("[name='decree.signer.name']", "Dr. SITI AMINAH, M.Pd")
    page.fill("[name='decree.signer.rank']", "Pembina Tingkat I")
    page.click(f"text={words['save']}")
    # Refused: said in words beside the field and in the summary, and nothing typed is lost.
    error = page.locator("#souvenir_tiers-2-max_delay-error")
    expect(error).to_contain_text(words["reason"])
    expect(page.locator(".alert-danger a[href='#souvenir_tiers-2-max_delay']")).to_have_text(words["label"])
    assert "souvenir_tiers[" not in page.inner_text(".alert-danger")
    assert page.input_value("[name='souvenir_tiers[2].max_delay']") == words["bad"]
    assert page.input_value("[name='souvenir_tiers[2].min_delay']") == words["low"]
    assert page.input_value("[name='decree.signer.name']") == "Dr. SITI AMINAH, M.Pd"
    assert page.input_value("[name='decree.considerations[0]']").startswith("bahwa kompensasi diberikan")
    page.locator("#souvenir_tiers").scroll_into_view_if_needed()
    page.locator("#souvenir_tiers").locator("xpath=ancestor::fieldset").screenshot(
        path=str(SCREENSHOTS / f"decree-editor-error-in-words-{language}.png"))
    page.locator(".alert-danger").screenshot(path=str(SCREENSHOTS / f"decree-editor-error-summary-{language}.png"))
    # Corrected and saved: no gap and no overlap is reported any more.
    page.fill("[name='souvenir_tiers[2].max_delay']", words["high"])
    page.click(f"text={words['save']}")
    expect(page.locator(".alert", has_text=words["saved"])).to_be_visible()
    assert page.locator(".alert-warning, .alert-danger").count() == 0
    assert page.input_value("[name='souvenir_tiers[2].min_delay']") == words["low"]
    assert page.input_value("[name='souvenir_tiers[2].max_delay']") == words["high"]
    assert page.input_value("[name='decree.signer.rank']") == "Pembina Tingkat I"
    # Simulated: the draft, clearly labelled, gives the new category for a 2-hour delay.
    page.check("#simulator input[value=fee]")
    page.fill("#simulator #delay", words["delay"])
    page.click("#simulator button[type=submit]")
    answer = page.locator("#simulator [role=status]")
    expect(answer).to_contain_text(words["draft"])
    expect(answer).to_contain_text(words["category"])
    expect(answer).to_contain_text("Buku tulis" if language == "id" else "Notebook")
    assert page.url.endswith("/edit")  # answered in place by htmx
    page.locator("#simulator").screenshot(path=str(SCREENSHOTS / f"decree-editor-draft-simulated-{language}.png"))
    shoot(page, f"decree-editor-draft-full-page-{language}")
    # The editor, with its new sections, and a version's page with its simulator pass axe.
    editor_url = page.url
    assert serious_violations(page, editor_url) == []
    assert serious_violations(page, editor_url.rsplit("/", 1)[0]) == []
