"""Durations as people write them: ``45m``, ``2 jam``, ``3 hari``, ``1 hari 12 jam``, ``2 days``.

Decrees state their measures in minutes, hours, days and weeks ("30-60 menit", "3 hari - 1
minggu": Lampiran II of the Metro decree; "2 x 24 jam": point 8), so this is the whole
grammar: one or more ``<number> <unit>`` parts, each unit at most once, in either language
whatever the reader's (an office admin pastes the decree's Indonesian into an English page),
optionally joined by "dan"/"and"/"," and with ``N x M`` for the decree's "2 x 24 jam". The
short units ``m h d w`` of decree files are the same grammar. One parser reads them all;
``format_duration`` writes the short form files keep, ``describe_duration`` the words a
reader sees. This module stays pure: the words come through the ``ngettext`` it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal, InvalidOperation

#: Units from largest to smallest, in the short form decree files write.
UNITS: dict[str, timedelta] = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}

#: Every word for a unit, Indonesian and English, full and abbreviated (lower case).
UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "minggu", "mgg", "pekan"), "w"),
    **dict.fromkeys(("d", "day", "days", "hari"), "d"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "jam"), "h"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "menit", "mnt"), "m"),
}

#: The longest duration anything here measures: a delay or a tier bound past a century is
#: a typing slip, and refusing it keeps every sum with a date inside the calendar.
LONGEST = timedelta(days=36_525)

#: What to write, shown with every refusal (the words read in both languages).
EXAMPLES = "45m, 2h, 3d, 1w, 90 menit, 2 jam, 3 hari, 1 minggu, 1 hari 12 jam, 2 days, 2x24 jam"

_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_PART = re.compile(
    rf"\s*(?:(?P<times>[0-9]{{1,4}})\s*[x×]\s*)?(?P<number>{_NUMBER})\s*(?P<unit>[^\W\d_]+)\.?"
)
_JOINER = re.compile(r"\s*(?:,|\+|&|\bdan\b|\band\b)?\s*", re.IGNORECASE)

Plural = Callable[..., str]


class DurationTooLong(ValueError):
    """A duration past ``LONGEST``: a typing slip rather than a measure, said as such."""


def parse_duration(text: str) -> timedelta:
    """Turn ``"1 hari 12 jam"`` or ``"1d12h"`` into ``timedelta(days=1, hours=12)``.

    Raises ValueError with a message that says what to write instead; the message is
    English for files and logs, and the app shows its own words beside the field.
    """
    if not isinstance(text, str):
        raise TypeError(f"a duration must be text (e.g. {EXAMPLES}), not {type(text).__name__}")
    text = text.strip()
    if not text:
        raise ValueError(f"empty duration: write e.g. {EXAMPLES}")
    total = timedelta()
    seen: set[str] = set()
    position = 0
    while position < len(text):
        if seen:
            position = _JOINER.match(text, position).end()  # type: ignore[union-attr]
        match = _PART.match(text, position)
        if match is None:
            raise ValueError(f"{text!r} is not a duration: write e.g. {EXAMPLES}")
        unit = UNIT_WORDS.get(match["unit"].lower())
        if unit is None:
            raise ValueError(f"{text!r}: unknown unit {match['unit']!r}; write e.g. {EXAMPLES}")
        if unit in seen:
            raise ValueError(f"{text!r}: the unit {match['unit']!r} appears twice; write each unit once")
        seen.add(unit)
        total += _amount(text, match["times"], match["number"], unit)
        if total > LONGEST:
            raise DurationTooLong(f"{text!r} is too long a duration: at most {format_duration(LONGEST)}")
        position = match.end()
    return total


def _amount(text: str, times: str | None, number: str, unit: str) -> timedelta:
    """``number`` units (times ``times``), refused unless it is whole minutes and not absurd."""
    if len(number) > 12:  # more minutes than a century holds, and ``Decimal`` need not read it
        raise DurationTooLong(f"{text!r} is too long a duration: at most {format_duration(LONGEST)}")
    try:
        count = Decimal(number.replace(",", ".")) * int(times or 1)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise ValueError(f"{text!r} is not a duration: write e.g. {EXAMPLES}") from None
    minutes = count * int(UNITS[unit] // UNITS["m"])
    if minutes > int(LONGEST // UNITS["m"]):
        raise DurationTooLong(f"{text!r} is too long a duration: at most {format_duration(LONGEST)}")
    if minutes != minutes.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number of minutes")
    return timedelta(minutes=int(minutes))


def format_duration(delta: timedelta) -> str:
    """Write a timedelta the way decree files do (``1d12h``), so a parsed value round-trips.

    Only whole, non-negative minutes can be written; anything else raises ValueError rather
    than silently rounding a legal measure.
    """
    return "".join(f"{count}{unit}" for unit, count in _parts(delta)) or "0m"


def describe_duration(delta: timedelta, ngettext: Plural) -> str:
    """A duration in words of the reader's language: "1 hari 12 jam", "2 days", "45 minutes".

    ``ngettext`` is Flask-Babel's (``decrees.duration_words.duration_words`` passes it), so the words come
    from the catalogues; the parser reads them back in either language.
    """
    words = {
        "w": lambda n: ngettext("%(num)d week", "%(num)d weeks", n),
        "d": lambda n: ngettext("%(num)d day", "%(num)d days", n),
        "h": lambda n: ngettext("%(num)d hour", "%(num)d hours", n),
        "m": lambda n: ngettext("%(num)d minute", "%(num)d minutes", n),
    }
    parts = _parts(delta)
    if not parts:
        return str(words["m"](0))
    return " ".join(str(words[unit](count)) for unit, count in parts)


def _parts(delta: timedelta) -> list[tuple[str, int]]:
    """The whole units of a duration, largest first, leaving out those that are zero."""
    if delta < timedelta():
        raise ValueError(f"a duration cannot be negative: {delta}")
    if delta % UNITS["m"]:
        raise ValueError(f"{delta} is not a whole number of minutes")
    parts = []
    remaining = delta
    for unit, size in UNITS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append((unit, count))
    return parts
