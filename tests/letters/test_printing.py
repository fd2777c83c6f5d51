"""The citizen's receipt of filing and the monthly report, as PDF on the office's letterhead."""

from __future__ import annotations

import pytest

from tests.letters.helpers import first_page_png, pdf_text, upheld_fee_complaint

OFFICES = {"disdikbud-metro": ("DINAS PENDIDIKAN DAN KEBUDAYAAN", "EDUCATION AND CULTURE OFFICE"),
           "dinsos-lampung": ("DINAS SOSIAL", "SOCIAL AFFAIRS OFFICE")}


@pytest.mark.parametrize("slug", list(OFFICES))
def test_the_citizens_receipt_of_filing_as_pdf_in_both_languages(slug, make, visitor, tmp_path):
    office = make.seed_office(slug)
    filed = make.complaint(office, components=("fee",), name="Siti Rahmawati")
    for locale, office_name, words in (("id", OFFICES[slug][0], "Pengaduan Anda telah diterima"),
                                       ("en", OFFICES[slug][1], "Your complaint has been received")):
        visitor.get(f"/locale/{locale}")
        page = visitor.get(f"/{slug}/pengaduan/{filed.code}/tanda-terima").get_data(as_text=True)
        assert f"/{slug}/pengaduan/{filed.code}/tanda-terima.pdf" in page
        response = visitor.get(f"/{slug}/pengaduan/{filed.code}/tanda-terima.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.headers["Cache-Control"] == "no-store"
        text = " ".join(pdf_text(response.data, tmp_path).split())
        assert filed.number in text and filed.code in text and words in text
        assert office_name in text.upper()
        if slug == "disdikbud-metro":
            first_page_png(response.data, f"receipt-{locale}", tmp_path)
    assert visitor.get(f"/{slug}/pengaduan/2222-3333-4444/tanda-terima.pdf").status_code == 404


@pytest.mark.parametrize("slug", list(OFFICES))
def test_the_monthly_report_as_pdf_for_the_leader(slug, make, new_visitor, tmp_path):
    office = make.seed_office(slug)
    upheld_fee_complaint(office, make)
    leader = new_visitor()
    leader.login(office.leader.email)
    for locale, office_name, title in (("id", OFFICES[slug][0], "Laporan pengaduan dan kompensasi"),
                                       ("en", OFFICES[slug][1], "Report on complaints and compensation")):
        leader.get(f"/locale/{locale}")
        assert f"/{slug}/staff/reports/print.pdf" in leader.get(f"/{slug}/staff/reports/").get_data(as_text=True)
        response = leader.get(f"/{slug}/staff/reports/print.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = " ".join(pdf_text(response.data, tmp_path).split())
        assert title in text and office_name in text.upper()
        if slug == "disdikbud-metro":
            first_page_png(response.data, f"report-{locale}", tmp_path)
    officer = new_visitor()
    officer.login(office.officer.email)
    assert officer.get(f"/{slug}/staff/reports/print.pdf").status_code == 403
