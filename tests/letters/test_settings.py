"""The office admin's letter settings: defaults from the decree in force, a numbering pattern
that cannot repeat numbers, and bodies in both languages that the next letter uses."""

from __future__ import annotations

import re

from tests.complaints.helpers import audit_actions
from tests.letters.helpers import download, issue, items_of, letters_of, pdf_text, upheld_fee_complaint


def _form(page: str) -> dict[str, str]:
    """The settings form's fields as the page fills them."""
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    fields |= {name: value.strip() for name, value in re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>(.*?)</textarea>', page, re.S)}
    fields.pop("csrf_token", None)
    import html

    return {name: html.unescape(value) for name, value in fields.items()}


def test_the_defaults_come_from_the_decree_and_an_edited_pattern_and_body_make_the_next_letter(
        lampung, make, ctx, officer_of, new_visitor, tmp_path):
    admin = new_visitor()
    admin.login(lampung.admin.email)
    admin.get("/locale/en")
    page = admin.get("/dinsos-lampung/staff/letters")
    assert page.status_code == 200
    fields = _form(page.get_data(as_text=True))
    assert fields["signer_name"] == "Drs. ASWARODI . M.Si" and fields["signer_nip"] == "19700611 199003 1 003"
    assert fields["place"] == "Bandar Lampung" and fields["unit_code"] == "DINSOS"
    assert fields["number_pattern"] == "{seq}/{kind}/{unit}/{roman_month}/{year}"
    assert "Permohonan maaf" in fields["apology_body_id"] or "permohonan maaf" in fields["apology_body_id"]

    for pattern, message in (("{seq}/{unit}/{tahun}", "is not a part a number can have"),
                             ("{seq}/{unit}", "The number needs {year}"), ("{kind}/{year}", "The number needs {seq}")):
        refused = admin.submit("/dinsos-lampung/staff/letters", fields | {"number_pattern": pattern})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True), pattern
    edited = fields | {
        "number_pattern": "400.9/{seq}/{unit}-{kind}/{year}", "unit_code": "SEK", "signer_position": "Sekretaris",
        "signer_name": "Dra. Contoh Penandatangan", "signer_nip": "19750101 200001 2 001",
        "apology_body_id": "Kami memohon maaf kepada {citizen} atas pengaduan {complaint_number}.\n\n{nothing} tetap tertulis.",
        "apology_body_en": "We apologise to {citizen} for complaint {complaint_number}.",
    }
    saved = admin.submit("/dinsos-lampung/staff/letters", edited)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:300]
    with ctx():
        assert "letters.settings_changed" in audit_actions(lampung.tenant.id)

    filed = upheld_fee_complaint(lampung, make, name="Rina Marlina")
    staff = officer_of(lampung)
    with ctx():
        item_id = items_of(filed.number)["apology"]
    issue(staff, filed.number, item_id, "id")
    issue(staff, filed.number, item_id, "en")
    with ctx():
        letters = letters_of(filed.number)
        numbers = [letter.number for letter in letters]
    assert re.fullmatch(r"400\.9/001/SEK-PM/\d{4}", numbers[0]) and numbers[1].startswith("400.9/002/SEK-PM/")
    text_id = " ".join(pdf_text(download(staff, filed.number, letters[0].id), tmp_path).split())
    assert f"Kami memohon maaf kepada Rina Marlina atas pengaduan {filed.number}." in text_id
    assert "{nothing} tetap tertulis." in text_id  # a misspelt placeholder stays for the office to see
    assert "Dra. Contoh Penandatangan" in text_id and "Sekretaris" in text_id and "19750101 200001 2 001" in text_id
    text_en = " ".join(pdf_text(download(staff, filed.number, letters[1].id), tmp_path).split())
    assert f"We apologise to Rina Marlina for complaint {filed.number}." in text_en


def test_only_the_office_admin_edits_letter_settings(lampung, new_visitor):
    for role in ("officer", "leader"):
        member = new_visitor()
        member.login(getattr(lampung, role).email)
        assert member.get("/dinsos-lampung/staff/letters").status_code == 403
