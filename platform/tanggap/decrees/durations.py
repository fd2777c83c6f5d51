"""Durations as decree files write them: ``30m``, ``48h``, ``3d``, ``1w`` or ``1d12h``.

Decrees state their measures in whole minutes, hours, days and weeks ("30-60 menit",
"3 hari - 1 minggu": Lampiran II of the Metro decree), so this is the whole grammar: one or
more ``<whole number><unit>`` parts, largest unit first, each unit at most once.
"""

from __future__ import annotations

import re
from datetime import timedelta

#: Units from largest to smallest; the order is also the order they must be written in.
UNITS: dict[str, timedelta] = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}

#: The longest duration anything here measures: a delay or a tier bound past a century is
#: a typing slip, and refusing it keeps every sum with a date inside the calendar.
LONGEST = timedelta(days=36_525)

_PART = re.compile(r"\s*([0-9]+)\s*([a-zA-Z]+)")
_EXAMPLES = "e.g. 30m, 48h, 3d, 1w or 1d12h"


def parse_duration(text: str) -> timedelta:
    """Turn ``"1d12h"`` into ``timedelta(days=1, hours=12)``.

    Raises ValueError with a message that says what to write instead, because these strings
    are typed by office admins into decree files.
    """
    if not isinstance(text, str):
        raise TypeError(f"a duration must be text ({_EXAMPLES}), not {type(text).__name__}")
    if not text.strip():
        raise ValueError(f"empty duration: write {_EXAMPLES}")
    total = timedelta()
    position = 0
    previous_rank = -1
    order = list(UNITS)
    while position < len(text.rstrip()):
        match = _PART.match(text, position)
        if match is None:
            raise ValueError(
                f"{text!r} is not a duration: write whole numbers with units "
                f"w (weeks), d (days), h (hours), m (minutes), {_EXAMPLES}"
            )
        number, unit = match.groups()
        if unit not in UNITS:
            raise ValueError(
                f"{text!r}: unknown unit {unit!r}; units are w (weeks), d (days), "
                f"h (hours) and m (minutes), {_EXAMPLES}"
            )
        rank = order.index(unit)
        if rank == previous_rank:
            raise ValueError(f"{text!r}: the unit {unit!r} appears twice; write each unit once")
        if rank < previous_rank:
            raise ValueError(f"{text!r}: write the largest unit first, {_EXAMPLES}")
        if len(number) > 9:  # more minutes than a century holds, and ``int`` need not read it
            raise ValueError(f"{text!r} is too long a duration: at most {format_duration(LONGEST)}")
        total += int(number) * UNITS[unit]
        if total > LONGEST:
            raise ValueError(f"{text!r} is too long a duration: at most {format_duration(LONGEST)}")
        previous_rank = rank
        position = match.end()
    return total


def format_duration(delta: timedelta) -> str:
    """Write a timedelta the way decree files do, so a parsed value round-trips.

    Only whole, non-negative minutes can be written; anything else raises ValueError rather
    than silently rounding a legal measure.
    """
    if delta < timedelta():
        raise ValueError(f"a duration cannot be negative: {delta}")
    if delta % UNITS["m"]:
        raise ValueError(f"{delta} is not a whole number of minutes")
    if not delta:
        return "0m"
    parts = []
    remaining = delta
    for unit, size in UNITS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
