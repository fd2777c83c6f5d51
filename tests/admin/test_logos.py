"""An office's logo is never served as the bytes that were uploaded: a picture is written anew
as a PNG, and an SVG (which cannot be redrawn here) is kept only as a plain drawing and is
served sandboxed, so that opened on its own at the office's address it runs nothing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
DRAWING = (TENANTS / "disdikbud-metro" / "logo.svg").read_bytes()
ACTIVE = [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/x?c="+document.cookie)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    b'<image x:href="https://evil.example/track.png"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p>'
    b'</foreignObject></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
]


def _onboard(operator, logo: bytes, name: str, mimetype: str = "image/svg+xml"):
    decree = (TENANTS / "disdikbud-metro" / "decree.toml").read_bytes()
    return operator.submit("/platform/offices/upload", {"decree": (io.BytesIO(decree), "decree.toml"),
                                                        "logo": (io.BytesIO(logo), name, mimetype)},
                           page="/platform/offices/", content_type="multipart/form-data")


@pytest.mark.parametrize("svg", ACTIVE)
def test_an_svg_logo_that_runs_or_fetches_anything_is_refused(operator, visitor, svg):
    answer = _onboard(operator, svg, "logo.svg")
    assert answer.status_code == 422
    assert ("The SVG logo contains a script, an event handler or a reference to another file"
            in answer.get_data(as_text=True))
    assert visitor.get("/disdikbud-metro/logo").status_code == 404


def test_a_plain_svg_logo_is_served_as_an_image_in_a_sandbox(operator, visitor):
    assert _onboard(operator, DRAWING, "logo.svg").status_code == 303
    logo = visitor.get("/disdikbud-metro/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/svg+xml"
    policy = logo.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert logo.headers["X-Content-Type-Options"] == "nosniff"


def test_a_picture_logo_is_written_anew_whatever_type_was_claimed(operator, visitor):
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "S", 2: (5.0, 7.0, 12.5)})
    out = io.BytesIO()
    Image.new("RGB", (800, 400), (11, 83, 148)).save(out, format="JPEG", exif=exif.tobytes())
    assert _onboard(operator, out.getvalue() + b"<script>alert(1)</script>", "logo.svg").status_code == 303
    logo = visitor.get("/disdikbud-metro/logo")
    assert logo.mimetype == "image/png" and b"<script>" not in logo.data
    kept = Image.open(io.BytesIO(logo.data))
    assert kept.format == "PNG" and kept.size == (256, 128) and not kept.getexif()


def test_a_shipped_office_folder_with_a_scripted_logo_does_not_load(app, tmp_path, ctx):
    folder = tmp_path / "disdikbud-metro"
    shutil.copytree(TENANTS / "disdikbud-metro", folder)
    (folder / "logo.svg").write_bytes(ACTIVE[0])
    result = app.test_cli_runner().invoke(args=["tenants", "load", str(folder)])
    assert result.exit_code != 0 and "logo.svg" in result.output
    assert app.test_cli_runner().invoke(args=["tenants", "load", str(TENANTS)]).exit_code == 0
