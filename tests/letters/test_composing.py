"""The pure rules of a letter: numbering patterns, filling a body, paragraphs; and the PDF
engine reading nothing but the app's own files."""

from __future__ import annotations

import pytest

from tanggap.letters import composing


@pytest.mark.parametrize("pattern, expected", [
    ("{seq}/{kind}/{unit}/{roman_month}/{year}", "007/PM/DISDIKBUD/XII/2026"),
    ("400.9/{seq}/{unit}-{kind}/{month}.{year}", "400.9/007/DISDIKBUD-PM/12.2026"),
])
def test_a_number_follows_the_offices_pattern(pattern, expected):
    assert composing.letter_number(pattern, seq=7, kind="PM", unit="DISDIKBUD", month=12, year=2026) == expected


@pytest.mark.parametrize("pattern, reason, name", [
    ("{seq}/{tahun}/{year}", "unknown", "tahun"), ("{seq}/{unit}", "missing", "year"),
    ("{kind}/{year}", "missing", "seq"), ("{seq/{year}", "syntax", ""), ("{seq}/{year.real}", "unknown", "year.real"),
])
def test_a_pattern_that_could_repeat_or_reach_beyond_its_parts_is_refused(pattern, reason, name):
    with pytest.raises(composing.PatternError) as refused:
        composing.pattern_fields(pattern)
    assert (refused.value.reason, refused.value.name) == (reason, name)


def test_a_body_names_facts_only_and_keeps_what_it_cannot_fill():
    body = "Yth. {citizen},\n\n  {explanation}\n\nNomor {complaint_number}; {citizen.__class__} {unknown} {0}."
    letter = composing.compose(kind="apology", locale="id", number="001", place="Metro", date="3 Desember 2026",
                               subject="Permohonan Maaf {citizen}", body=body, addressee="Siti",
                               facts={"citizen": "Siti", "explanation": "", "complaint_number": "X-1"},
                               signer=composing.Signer("A", "Kepala Dinas", "Pembina", "1"))
    assert letter.paragraphs == ["Yth. Siti,", "Nomor X-1; {citizen.__class__} {unknown} {0}."]
    assert letter.subject == "Permohonan Maaf Siti"


def test_the_pdf_engine_reads_static_files_and_given_resources_and_nothing_else(app, tmp_path):
    from tanggap import pdf
    from tests.letters.helpers import pdf_text

    with app.test_request_context():
        fetch = pdf.fetcher({"/office/logo": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")})
        assert fetch(pdf.BASE_URL + "office/logo").read().startswith(b"<svg")
        assert b"letterhead" in fetch(pdf.BASE_URL + "static/css/letter.0123456789ab.css").read()
        for refused in ("http://169.254.169.254/latest/meta-data", "file:///etc/passwd", pdf.BASE_URL + "static/../../x",
                        pdf.BASE_URL + "office/other", "https://tanggap.invalid/static/css/letter.css"):
            with pytest.raises(pdf.ResourceRefused):
                fetch(refused)
        rendered = pdf.render('<p>Halo</p><img src="file:///etc/hostname"><img src="http://127.0.0.1:1/x.png">')
    assert "Halo" in pdf_text(rendered, tmp_path)


def test_rendering_a_pdf_leaves_the_upload_check_refusing_a_photo_cut_in_half(app):
    """WeasyPrint turns on Pillow's ``LOAD_TRUNCATED_IMAGES`` for the whole process when imported."""
    from tanggap import images, pdf
    from tests.complaints.helpers import photo

    with app.test_request_context():
        pdf.render("<p>Halo</p>")
    whole = photo("PNG", size=(600, 600))
    with pytest.raises(images.ImageRefused):
        images.reencoded(whole[: len(whole) // 2], "image/png")


def test_a_static_stylesheet_is_parsed_once_per_process_and_an_outside_one_still_refused(app, tmp_path, monkeypatch):
    """Bootstrap's stylesheet took half a second to parse on every receipt and report."""
    from tanggap import pdf
    from tests.letters.helpers import pdf_text

    weasyprint = pdf._weasyprint()
    parsed: list[str | None] = []
    original = weasyprint.CSS

    def counted(*args, **kwargs):
        parsed.append(kwargs.get("base_url") or kwargs.get("url"))
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", counted)
    monkeypatch.setattr(pdf, "_parsed", {})
    page = ('<link rel="stylesheet" href="/static/css/letter.css"><link rel="stylesheet" href="/office/brand.css">'
            '<link rel="stylesheet" href="http://169.254.169.254/x.css"><p class="letterhead">Halo</p>')
    brand = {"/office/brand.css": (b":root { --brand: #0b5394; }", "text/css")}
    with app.test_request_context():
        first, second = pdf.render(page, brand), pdf.render(page, brand)
    assert parsed == [pdf.BASE_URL + "static/css/letter.css", pdf.BASE_URL + "office/brand.css",
                      pdf.BASE_URL + "office/brand.css"]
    assert "Halo" in pdf_text(first, tmp_path) and "Halo" in pdf_text(second, tmp_path)
