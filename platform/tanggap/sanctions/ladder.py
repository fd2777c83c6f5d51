"""The suggestion ladder: which sanction the officer's record points to. Pure: no Flask, no database.

The decree names the sanctions (reprimand, coaching) but not when each applies; offices
escalate by repetition. The default: the first upheld complaint in twelve months earns a
reprimand (*teguran*), any further one coaching (*pembinaan*). The leader decides and may
choose otherwise, with a reason.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Step:
    #: From the n-th upheld complaint in the window on.
    start: int
    sanction: str


@dataclass(frozen=True)
class Ladder:
    window_months: int
    steps: tuple[Step, ...]

    @classmethod
    def from_json(cls, window_months: int, steps: Sequence[dict[str, Any]]) -> "Ladder":
        return cls(window_months, tuple(sorted((Step(int(s["from"]), str(s["sanction"])) for s in steps),
                                               key=lambda step: step.start)))

    def as_json(self) -> list[dict[str, Any]]:
        return [{"from": step.start, "sanction": step.sanction} for step in self.steps]


DEFAULT = Ladder(12, (Step(1, "reprimand"), Step(2, "coaching")))


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def count_in_window(upheld_on: Iterable[date], on: date, window_months: int) -> int:
    """Upheld complaints decided after the window's start and up to ``on``."""
    start = months_before(on, window_months)
    return sum(1 for day in upheld_on if start < day <= on)


def suggest(ladder: Ladder, upheld_on: Iterable[date], on: date) -> tuple[str | None, int]:
    """The suggested sanction code (None if no step applies) and the count it rests on."""
    count = count_in_window(upheld_on, on, ladder.window_months)
    chosen = None
    for step in ladder.steps:
        if count >= step.start:
            chosen = step.sanction
    return chosen, count


def problems(ladder: Ladder, known_codes: Iterable[str]) -> list[str]:
    """What is wrong with a ladder an admin wrote, as codes the form words."""
    known = set(known_codes)
    found = []
    if not 1 <= ladder.window_months <= 120:
        found.append("window")
    starts = [step.start for step in ladder.steps]
    if len(set(starts)) != len(starts) or any(start < 1 for start in starts):
        found.append("starts")
    if any(step.sanction not in known for step in ladder.steps):
        found.append("unknown")
    return found
