"""The citizen's pages in a real browser: a form sent with mistakes comes back with its errors
and nothing the content security policy has to block; the receipt gives the deadline to the
minute, prints on one page and offers a print button; the tracking page says what the
complaint is about and lists each file once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.complaints.helpers import photo

from .conftest import shoot


def _watch_csp(page) -> list[str]:
    """Every refusal the content security policy makes on ``page``: the console's words and
    the browser's own violation events, whatever element or script caused them."""
    refused: list[str] = []
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + (e.target.outerHTML || '').slice(0, 120)))")
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    return refused


def test_a_complaint_form_with_errors_blocks_nothing_and_the_receipt_prints(live_server, page_factory):
    citizen = page_factory(phone=True, locale="id")
    refused = _watch_csp(citizen)
    citizen.goto(f"{live_server}/disdikbud-metro/pengaduan/baru")
    citizen.check("input[name=components][value=fee]")
    citizen.check("input[name=components][value=time]")
    citizen.fill("#occurred_on", "2026-11-20")
    citizen.fill("#waited_amount", "2")
    citizen.select_option("#waited_unit", "hours")
    citizen.fill("#charged", "50000")
    citizen.fill("#tariff", "0")
    citizen.fill("#name", "Dewi Lestari")
    citizen.fill("#email", "dewi@example.org")
    citizen.set_input_files("#files", files=[{"name": "loket.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    # What autofill, an extension or a script leaves on the fields: a style the page never wrote.
    citizen.evaluate("document.querySelectorAll('main form [id]').forEach(e => e.style.setProperty('outline-offset', '0px'))")
    citizen.click("text=Kirim pengaduan")  # no description, no consent: the errors come back in place
    citizen.wait_for_selector("#consent-error")
    expect(citizen.locator("#description-error")).to_be_visible()
    assert citizen.input_value("#name") == "Dewi Lestari"
    shoot(citizen, "citizen-form-errors-id")
    assert refused == []

    citizen.fill("#description", "Saya membayar Rp 50.000 dan menunggu dua jam lebih lama dari standar.")
    citizen.set_input_files("#files", files=[{"name": "loket.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    citizen.check("#consent")
    citizen.click("text=Kirim pengaduan")
    citizen.wait_for_url("**/tanda-terima")
    due = citizen.inner_text("#due-at")
    assert re.search(r"\d{1,2}\.\d{2} Waktu Indonesia Barat$", due) and not re.search(r"\d\.\d{2}\.\d{2}", due), due
    expect(citizen.locator("#print-receipt")).to_be_visible()
    shoot(citizen, "citizen-receipt-id")
    citizen.emulate_media(media="print")
    shoot(citizen, "citizen-receipt-print-id")
    expect(citizen.locator("#print-receipt")).to_be_hidden()
    pdf = citizen.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # one sheet
    citizen.emulate_media(media="screen")
    code = citizen.inner_text("#tracking-code").strip()

    citizen.goto(f"{live_server}/disdikbud-metro/pengaduan/{code}")
    details = citizen.inner_text("#complaint-details")
    assert "Biaya/Tarif Pelayanan" in details and "Jangka Waktu Pelayanan" in details and "2 jam" in details
    expect(citizen.locator("main a:text('loket.jpg')")).to_have_count(1)
    shoot(citizen, "citizen-tracking-id")
    assert refused == []
