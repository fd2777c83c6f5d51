"""A citizen's file is kept only when all of it reads as what it claims to be, and a photo is
kept without what the phone wrote into it (EXIF: the GPS position of the citizen's home)."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.complaints.conftest import complaint_form
from tests.complaints.helpers import photo

PAGE = "/disdikbud-metro/pengaduan/baru"
GPS = 0x8825


def _send(visitor, *files: tuple[bytes, str]):
    html = visitor.get(PAGE).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    return visitor.submit(PAGE, {"submission_key": key, **complaint_form(
        files=[(io.BytesIO(data), name) for data, name in files])}, content_type="multipart/form-data")


def _located() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # taken sideways
    exif.get_ifd(GPS).update({1: "S", 2: (5.0, 7.0, 12.5), 3: "E", 4: (105.0, 18.0, 30.0)})
    data = photo("JPEG", size=(40, 30), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS)  # the phone's position is in the file
    return data


def test_a_photo_is_kept_without_its_gps_position_and_upright(metro, visitor):
    sent = _send(visitor, (_located(), "jalan.jpg"))
    assert sent.status_code == 303
    code = re.search(r"/pengaduan/([A-Z0-9-]+)/", sent.headers["Location"]).group(1)
    track = visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
    link = re.search(r'href="(/disdikbud-metro/pengaduan/[^"]+/berkas/\d+)"', track).group(1)
    kept = Image.open(io.BytesIO(visitor.get(link).data))
    assert kept.format == "JPEG" and kept.size == (30, 40)  # turned as the phone said, then the tag dropped
    assert not kept.getexif().get_ifd(GPS) and not kept.getexif()
    assert "exif" not in kept.info


def test_a_file_that_does_not_read_to_its_end_is_refused(metro, visitor, ctx):
    visitor.get("/locale/en")
    whole = photo("PNG", size=(600, 600))
    cut = whole[: len(whole) // 2]
    assert len(cut) > 0
    response = _send(visitor, (cut, "foto.png"))
    assert response.status_code == 422
    assert "foto.png is not a photo (JPEG, PNG, WebP) or a PDF." in response.get_data(as_text=True)
    headless = b"%PDF-1.4\n" + b"<script>alert(1)</script>" * 400  # a PDF's first bytes and no trailer
    response = _send(visitor, (headless, "surat.pdf"))
    assert response.status_code == 422
    assert "surat.pdf is not a photo (JPEG, PNG, WebP) or a PDF." in response.get_data(as_text=True)
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    assert _send(visitor, (pdf, "surat.pdf")).status_code == 303


def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded(metro, visitor):
    visitor.get("/locale/en")
    out = io.BytesIO()
    Image.new("1", (6000, 5000)).save(out, format="PNG")  # 30 million pixels in a few kilobytes
    response = _send(visitor, (out.getvalue(), "peta.png"))
    assert response.status_code == 422
    assert "peta.png has more than 25 million pixels; send a smaller photo." in response.get_data(as_text=True)
