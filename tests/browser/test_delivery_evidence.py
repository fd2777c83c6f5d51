"""An officer delivers a refund with its transfer slip, in a real browser, in both languages:
an underpayment is refused beside the amount with nothing typed lost, an overpayment goes
through only with a reason, and the leader reads that reason and the slip on the complaint.
Screenshots: delivery-evidence-<language>.png (the leader's view of the delivered refund)
and delivery-evidence-<language>-refused.png (the refused underpayment)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import login, shoot

SLUG = "disdikbud-metro"
WORDS = {
    "id": {"file": "Ajukan pengaduan", "send": "Kirim pengaduan", "accept": "Terima untuk dinilai",
           "assess": "Nilai pengaduan (penilaian Pimpinan)", "confirm": "Konfirmasi penilaian",
           "record": "Catat penyerahan", "less": "kurang dari", "more": "lebih dari", "over": "dibayar lebih"},
    "en": {"file": "File a complaint", "send": "Send the complaint", "accept": "Accept for assessment",
           "assess": "Assess the complaint", "confirm": "Confirm the assessment",
           "record": "Record the delivery", "less": "less than", "more": "more than", "over": "paid over"},
}
REASON = {"id": "Warga juga membayar biaya legalisir Rp10.000 yang tidak dipungut.",
          "en": "The citizen also paid a Rp10,000 legalisation fee that is not charged."}


def _slip() -> dict:
    """A transfer slip as a phone photographs it."""
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (235, 240, 250)).save(out, format="JPEG")
    return {"name": "bukti-transfer.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _file_fee_complaint(page, live_server: str, words: dict) -> str:
    page.goto(f"{live_server}/{SLUG}/")
    page.click(f"text={words['file']}")
    page.check("input[name=components][value=fee]")
    page.fill("#description", "Saya diminta membayar Rp 50.000 untuk legalisir ijazah, padahal layanan ini gratis.")
    page.fill("#occurred_on", "2026-11-20")
    page.fill("#charged", "50000")
    page.fill("#tariff", "0")
    page.fill("#waited_amount", "45")
    page.fill("#name", "Dewi Lestari")
    page.fill("#email", "dewi@example.org")
    page.check("#consent")
    page.click(f"text={words['send']}")
    page.wait_for_url("**/tanda-terima")
    return page.inner_text("#ticket-number").strip()


def _uphold(page, live_server: str, number: str, words: dict) -> None:
    login(page, live_server, "leader.disdikbud@tanggap.demo")
    page.wait_for_url("**/staff/**")
    page.goto(f"{live_server}/{SLUG}/staff/complaints/{number}")
    page.click(f"text={words['accept']}")
    page.click(f"text={words['assess']}")
    page.check("input[name=upheld][value=yes]")
    page.wait_for_selector("#package .package-items li")
    page.fill("#reasoning", "Terbukti: tarif legalisir ijazah Rp0 menurut standar pelayanan.")
    page.click(f"text={words['confirm']}")
    page.wait_for_selector(".package-table")


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_officer_delivers_a_refund_with_its_transfer_slip(live_server, page_factory, language):
    words = WORDS[language]
    citizen = page_factory(locale=language)
    number = _file_fee_complaint(citizen, live_server, words)
    leader = page_factory(locale=language)
    _uphold(leader, live_server, number, words)

    officer = page_factory(locale=language)
    login(officer, live_server, "officer.disdikbud@tanggap.demo")
    officer.wait_for_url("**/staff/**")
    officer.goto(f"{live_server}/{SLUG}/staff/complaints/{number}")
    officer.locator("#item-refund a.btn").click()
    officer.wait_for_url("**/items/*/deliver")
    methods = officer.locator("#method option").evaluate_all("options => options.map(o => o.value)")
    assert methods == ["cash", "bank_transfer"]
    officer.select_option("#method", "bank_transfer")
    officer.fill("#refunded_amount", "40000")
    officer.fill("#receipt_number", "TRF-2026-0117")
    officer.fill("#note", "Ditransfer ke rekening BRI atas nama pelapor.")
    officer.set_input_files("#files", [_slip()])
    officer.click(f"text={words['record']}")

    # Underpaid: refused beside the amount, in words, with everything typed still there.
    error = officer.locator("#refunded_amount-error")
    expect(error).to_be_visible()
    assert words["less"] in error.inner_text()
    assert re.search(r"40[.,]000", error.inner_text()) and re.search(r"50[.,]000", error.inner_text())
    assert officer.input_value("#refunded_amount") == "40000"
    assert officer.input_value("#receipt_number") == "TRF-2026-0117"
    assert officer.input_value("#note") == "Ditransfer ke rekening BRI atas nama pelapor."
    assert officer.input_value("#method") == "bank_transfer"
    expect(officer.locator("#files-again")).to_be_visible()
    shoot(officer, f"delivery-evidence-{language}-refused")

    # Overpaid without a reason: refused beside the reason; with one, recorded.
    officer.fill("#refunded_amount", "60000")
    officer.set_input_files("#files", [_slip()])
    officer.click(f"text={words['record']}")
    expect(officer.locator("#overpay_reason-error")).to_contain_text(words["more"])
    assert officer.input_value("#refunded_amount") == "60000"
    officer.fill("#overpay_reason", REASON[language])
    officer.set_input_files("#files", [_slip()])
    officer.click(f"text={words['record']}")
    officer.wait_for_url(f"**/staff/complaints/{number}")
    expect(officer.locator("#item-refund .delivery-evidence a")).to_have_text("bukti-transfer.jpg")

    leader.goto(f"{live_server}/{SLUG}/staff/complaints/{number}")
    reason = leader.locator("#overpaid-refund")
    expect(reason).to_contain_text(REASON[language])
    expect(reason).to_contain_text(words["over"])
    slip = leader.locator("#item-refund .delivery-evidence a")
    expect(slip).to_have_text("bukti-transfer.jpg")
    downloaded = leader.request.get(live_server + slip.get_attribute("href"))
    assert downloaded.status == 200 and downloaded.headers["content-type"] == "image/jpeg"
    leader.locator("#item-refund").scroll_into_view_if_needed()
    shoot(leader, f"delivery-evidence-{language}")
