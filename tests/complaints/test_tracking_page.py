"""The citizen's tracking page and receipt say what the complaint is about (the parts of the
standard chosen, how long they waited), list each file once, and give the deadline to the
minute in the office's zone and the reader's language; the receipt prints."""

from __future__ import annotations

import io
import re

from tests.complaints.conftest import complaint_form
from tests.complaints.helpers import photo

PAGE = "/disdikbud-metro/pengaduan/baru"


def _file(visitor, **overrides) -> str:
    html = visitor.get(PAGE).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    sent = visitor.submit(PAGE, {"submission_key": key, **complaint_form(**overrides)},
                          content_type="multipart/form-data")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    return re.search(r"/pengaduan/([A-Z0-9-]+)/tanda-terima", sent.headers["Location"]).group(1)


def test_the_tracking_page_shows_the_components_and_the_wait_and_each_file_once(metro, visitor):
    code = _file(visitor, components=["fee", "time"], waited_amount="2", waited_unit="hours",
                 files=[(io.BytesIO(photo()), "loket.jpg")])
    page = visitor.get(f"/disdikbud-metro/pengaduan/{code}", headers={"Accept-Language": "id"}).get_data(as_text=True)
    details = re.search(r'<dl[^>]*id="complaint-details".*?</dl>', page, re.S).group(0)
    assert "Biaya/Tarif Pelayanan" in details and "Jangka Waktu Pelayanan" in details, details
    assert "2 jam" in details
    assert page.count("loket.jpg") == 1


def test_a_file_added_later_is_listed_once_with_what_the_citizen_added(metro, visitor):
    code = _file(visitor, files=[(io.BytesIO(photo()), "loket.jpg")])
    track = f"/disdikbud-metro/pengaduan/{code}"
    added = visitor.submit(f"{track}/informasi", {"message": "Ini kuitansinya.",
                                                  "files": [(io.BytesIO(photo()), "kuitansi.jpg")]},
                           page=track, content_type="multipart/form-data")
    assert added.status_code in (302, 303), added.get_data(as_text=True)[:2000]
    page = visitor.get(track).get_data(as_text=True)
    assert page.count("loket.jpg") == 1 and page.count("kuitansi.jpg") == 1


def _due_at(html: str) -> str:
    return re.search(r'id="due-at">([^<]+)<', html).group(1).strip()


def test_the_receipt_gives_the_deadline_to_the_minute_in_the_readers_words_and_prints(metro, visitor):
    code = _file(visitor)
    receipt = f"/disdikbud-metro/pengaduan/{code}/tanda-terima"
    indonesian = visitor.get(receipt, headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert re.fullmatch(r"\w+, \d{2} \w+ \d{4} \d{1,2}\.\d{2} Waktu Indonesia Barat", _due_at(indonesian)), _due_at(indonesian)
    visitor.get("/locale/en")
    english = visitor.get(receipt).get_data(as_text=True)
    assert re.fullmatch(r"\w+, \w+ \d{1,2}, \d{4},? (at )?\d{1,2}:\d{2}\s?[AP]M Western Indonesia Time",
                        _due_at(english)), _due_at(english)
    # a print button (a static script: the policy runs no inline one) and the address for paper
    assert 'data-print hidden>Print or save as PDF</button>' in english
    script = re.search(r'<script src="(/static/js/print\.[0-9a-f]{12}\.js)"', english)
    assert script and visitor.get(script.group(1)).status_code == 200
    assert "/disdikbud-metro/lacak with your tracking code." in english
    assert "<script>" not in english
