"""Moments in words: the writer that keeps each language's patterns says exactly what
Babel's ``format_datetime`` says, in every length, language and office zone, for moments
stored aware in UTC or naive."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from babel import dates
from flask_babel import get_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.i18n import _deadline_pattern, datetime_writer, writing

LENGTHS = ("short", "medium", "long", "full", "deadline", "d MMM yyyy HH:mm")
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                       timezones=st.none() | st.just(timezone.utc))


@settings(max_examples=60, deadline=None)
@given(moment=MOMENTS)
def test_the_writer_says_what_babel_says(app, moment):
    with app.test_request_context():
        for language in ("id", "en"):
            for zone in ZONES:
                with writing(language, SimpleNamespace(timezone=zone)):
                    for length in LENGTHS:
                        pattern = _deadline_pattern() if length == "deadline" else length
                        expected = dates.format_datetime(moment, pattern, tzinfo=dates.get_timezone(zone),
                                                         locale=get_locale())
                        assert datetime_writer(length)(moment) == expected, (language, zone, length)


def test_nothing_is_written_for_no_moment(app):
    with app.test_request_context():
        assert datetime_writer("short")(None) == ""
