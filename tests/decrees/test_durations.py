"""Durations as decree files write them: the grammar office admins type by hand."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.decrees.durations import format_duration, parse_duration


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
        ("1.5h", "not a duration"),
        ("-5m", "not a duration"),
        ("30 minutes", "unknown unit 'minutes'"),
        ("3x", "unknown unit 'x'"),
        ("30M", "unknown unit 'M'"),
        ("12h1d", "largest unit first"),
        ("1h2h", "appears twice"),
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
