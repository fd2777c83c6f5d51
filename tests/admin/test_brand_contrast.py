"""Every brand colour an office admin may choose keeps every pairing the stylesheet makes
readable (WCAG AA, 4.5:1): letterhead and button text on the brand, the button's hover,
links and the staff menu in the dark shade on white and on the page's grey."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tanggap.admin.office_settings import MINIMUM_CONTRAST, colour_problem
from tanggap.tenancy.branding import brand_palette, contrast_ratio

COLOURS = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06x}")
PAGE_GREY = "#f6f7f9"  # the body's background in tanggap.css


@given(COLOURS)
def test_an_accepted_brand_colour_keeps_every_pairing_readable(app, colour):
    with app.test_request_context():
        accepted = colour_problem(colour) is None
    if not accepted:
        return
    palette = brand_palette(colour)
    pairs = {
        "letterhead and button text": (palette["--brand-text"], palette["--brand"]),
        "button text when hovered": (palette["--brand-dark-text"], palette["--brand-dark"]),
        "links on white": (palette["--brand-dark"], "#ffffff"),
        "links on the page": (palette["--brand-dark"], PAGE_GREY),
    }
    low = {name: round(contrast_ratio(*pair), 2) for name, pair in pairs.items()
           if contrast_ratio(*pair) < MINIMUM_CONTRAST}
    assert low == {}, colour


def test_the_shipped_offices_colours_are_accepted(app):
    with app.test_request_context():
        assert colour_problem("#8a1c1c") is None and colour_problem("#0b5394") is None
        assert colour_problem("#ffd700") is not None  # gold: links would be unreadable


def test_the_checked_page_background_is_the_stylesheet_s():
    from pathlib import Path

    from tanggap.tenancy.branding import PAGE_BACKGROUND

    css = (Path(__file__).resolve().parents[2] / "platform/tanggap/static/css/tanggap.css").read_text()
    assert f"body {{ background: {PAGE_BACKGROUND};" in css and PAGE_BACKGROUND == PAGE_GREY
