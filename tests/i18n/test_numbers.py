"""Numbers are written as the reader writes them: "1,5" and "Rp25.000" in Indonesian,
"1.5" and "IDR 25,000"-style grouping in English, and counts agree with their nouns."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tanggap.i18n import decimal, figure, number, percent, ratio


@pytest.mark.parametrize(("locale", "expected"), [
    ("id", {"number": "1.250", "decimal": "1,5", "places": "4,00", "percent": "25%", "tenth": "12,5%",
            "ratio": "1,8 : 1", "figure": ["1,5", "4", "3,67", "1.250", "100%"]}),
    ("en", {"number": "1,250", "decimal": "1.5", "places": "4.00", "percent": "25%", "tenth": "12.5%",
            "ratio": "1.8 : 1", "figure": ["1.5", "4", "3.67", "1,250", "100%"]}),
])
def test_numbers_follow_the_readers_language(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert number(1250) == expected["number"]
        assert decimal(1.5) == expected["decimal"]
        assert decimal(4, 2) == expected["places"]
        assert percent(0.25) == expected["percent"]
        assert percent(0.125, 1) == expected["tenth"]
        assert ratio(1.8) == expected["ratio"]
        assert [figure(value) for value in (1.5, 4.0, 3.67, 1250, "100%")] == expected["figure"]


def test_nothing_is_written_as_nothing(app):
    with app.test_request_context():
        assert number(None) == decimal(None) == percent(None) == ratio(None) == ""


@pytest.mark.parametrize(("locale", "long", "short"), [("id", "Desember 2026", "Des 26"), ("en", "December 2026", "Dec 26")])
def test_a_reports_month_is_named_in_the_readers_language(app, locale, long, short):
    from tanggap.i18n import month_name

    with app.test_request_context(), force_locale(locale):
        assert (month_name("2026-12"), month_name("2026-12", "MMM yy")) == (long, short)
