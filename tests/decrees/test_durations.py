"""Durations as decree files and people write them: short units, and words in both languages."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.decrees.durations import describe_duration, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("60m", timedelta(hours=1)),
        ("48h", timedelta(hours=48)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1w2d3h4m", timedelta(weeks=1, days=2, hours=3, minutes=4)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("0m", timedelta()),
        ("12h1d", timedelta(days=1, hours=12)),
        ("30M", timedelta(minutes=30)),
    ],
)
def test_parses_the_units_of_decree_files(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("30", "not a duration"),
        ("m", "not a duration"),
        ("-5m", "not a duration"),
        ("30 parsecs", "unknown unit 'parsecs'"),
        ("3x", "unknown unit 'x'"),
        ("sebentar", "not a duration"),
        ("1h2h", "appears twice"),
        ("1 jam 2 hours", "appears twice"),
        ("1.5m", "whole number of minutes"),
        ("2 jam dan", "not a duration"),
    ],
)
def test_rejects_malformed_durations_saying_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_duration(text)


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_duration(30)  # type: ignore[arg-type]


def test_rejects_durations_too_long_for_timedelta() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration("99999999999w")


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(), "0m"),
        (timedelta(minutes=30), "30m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=48), "2d"),
        (timedelta(days=10), "1w3d"),
        (timedelta(days=1, hours=12, minutes=5), "1d12h5m"),
    ],
)
def test_formats_largest_unit_first(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


def test_refuses_to_format_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="whole number of minutes"):
        format_duration(timedelta(seconds=90))
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(minutes=-1))


@settings(max_examples=150)
@given(st.integers(min_value=0, max_value=10_000_000))
def test_format_then_parse_round_trips(minutes: int) -> None:
    delta = timedelta(minutes=minutes)
    assert parse_duration(format_duration(delta)) == delta


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45m", timedelta(minutes=45)),
        ("2 jam", timedelta(hours=2)),
        ("3 hari", timedelta(days=3)),
        ("1 minggu", timedelta(weeks=1)),
        ("2 days", timedelta(days=2)),
        ("1 week", timedelta(weeks=1)),
        ("90 menit", timedelta(minutes=90)),
        ("1 hari 12 jam", timedelta(days=1, hours=12)),
        ("1 hari, 12 jam", timedelta(days=1, hours=12)),
        ("1 hari dan 12 jam", timedelta(days=1, hours=12)),
        ("1 day and 12 hours", timedelta(days=1, hours=12)),
        ("2x24 jam", timedelta(hours=48)),
        ("3 x 24 jam", timedelta(hours=72)),
        ("1 hour 30 minutes", timedelta(minutes=90)),
        ("1,5 jam", timedelta(minutes=90)),
        ("1.5 hours", timedelta(minutes=90)),
        ("2 Hari", timedelta(days=2)),
        ("30 mnt", timedelta(minutes=30)),
        ("1 pekan", timedelta(weeks=1)),
        ("  3 days  ", timedelta(days=3)),
    ],
)
def test_parses_durations_in_words_of_both_languages(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def _words(language: str):
    """An ``ngettext`` as the catalogues answer it, without an app: the two languages' words."""
    units = {"week": "minggu", "day": "hari", "hour": "jam", "minute": "menit"}

    def ngettext(singular: str, plural: str, num: int) -> str:
        text = singular if num == 1 or language == "id" else plural
        if language == "id":
            text = text.split(" ")[0] + " " + units[singular.split(" ")[1]]
        return text % {"num": num}

    return ngettext


@pytest.mark.parametrize(
    ("delta", "indonesian", "english"),
    [
        (timedelta(days=2), "2 hari", "2 days"),
        (timedelta(days=1, hours=12), "1 hari 12 jam", "1 day 12 hours"),
        (timedelta(minutes=45), "45 menit", "45 minutes"),
        (timedelta(weeks=1), "1 minggu", "1 week"),
        (timedelta(), "0 menit", "0 minutes"),
    ],
)
def test_describes_durations_in_words_that_parse_back(delta: timedelta, indonesian: str, english: str) -> None:
    assert describe_duration(delta, _words("id")) == indonesian
    assert describe_duration(delta, _words("en")) == english
    assert parse_duration(indonesian) == parse_duration(english) == delta


@settings(max_examples=150)
@given(st.integers(min_value=0, max_value=10_000_000), st.sampled_from(["id", "en"]))
def test_words_round_trip_in_both_languages(minutes: int, language: str) -> None:
    delta = timedelta(minutes=minutes)
    assert parse_duration(describe_duration(delta, _words(language))) == delta


def test_the_app_words_durations_through_its_catalogues(app) -> None:
    from flask_babel import force_locale

    from tanggap.decrees.duration_words import duration_words

    with app.test_request_context():
        with force_locale("id"):
            assert duration_words(2880) == "2 hari"
            assert duration_words(timedelta(days=1, hours=12)) == "1 hari 12 jam"
        with force_locale("en"):
            assert duration_words(2880) == "2 days"
            assert duration_words(61) == "1 hour 1 minute"
