"""Alert points on a complaint's deadline, and which are due. Pure: no Flask, no database.

A point is either a share of the time between submission and deadline ("half the time
gone") or an offset from the deadline ("12 hours left", "due now", "24 hours overdue").
The defaults are the issue's; an office may set its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

Anchor = Literal["share", "deadline"]
Audience = Literal["assignee", "leaders", "head"]


@dataclass(frozen=True)
class AlertPoint:
    code: str
    anchor: Anchor
    #: For "share": the part of the time gone (0.5). For "deadline": minutes after it (-720 = 12 h left).
    value: float
    #: Who hears of it; the head of office only on escalation.
    audience: tuple[Audience, ...] = ("assignee", "leaders")

    def moment(self, submitted_at: datetime, due_at: datetime) -> datetime:
        if self.anchor == "share":
            return submitted_at + (due_at - submitted_at) * self.value
        return due_at + timedelta(minutes=self.value)

    @property
    def escalates(self) -> bool:
        return "head" in self.audience

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "anchor": self.anchor, "value": self.value, "audience": list(self.audience)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "AlertPoint":
        return cls(str(data["code"]), data["anchor"], float(data["value"]), tuple(data.get("audience", ())))


DEFAULT_POINTS: tuple[AlertPoint, ...] = (
    AlertPoint("half", "share", 0.5),
    AlertPoint("12h_left", "deadline", -12 * 60),
    AlertPoint("due", "deadline", 0),
    AlertPoint("escalation", "deadline", 24 * 60, ("assignee", "leaders", "head")),
)


def due_now(points: Sequence[AlertPoint], submitted_at: datetime, due_at: datetime, now: datetime,
            fired: Iterable[str] = ()) -> list[AlertPoint]:
    """Points whose moment has come and that have not fired yet, earliest first.

    A point that falls before submission (12 hours left on a 6-hour deadline) never fires:
    it would tell nobody anything new.
    """
    done = set(fired)
    return sorted(
        (p for p in points if p.code not in done and submitted_at <= p.moment(submitted_at, due_at) <= now),
        key=lambda p: p.moment(submitted_at, due_at),
    )


def next_moment(points: Sequence[AlertPoint], submitted_at: datetime, due_at: datetime,
                fired: Iterable[str]) -> datetime | None:
    """When the sweep should look again: the earliest point still to fire, or None."""
    done = set(fired)
    moments = [p.moment(submitted_at, due_at) for p in points
               if p.code not in done and p.moment(submitted_at, due_at) >= submitted_at]
    return min(moments, default=None)


# --- Points written in words ---------------------------------------------------------------
#
# Office admins name a point the way they would say it ("3 jam sebelum", "12 hours after",
# "separuh waktu", "saat tenggat"), in either language. The parser reads those words; the
# page writes every point back in words (``alerts.messages.describe``), so what the admin
# saved reads again as the same point.

#: How far from the deadline a point may lie: thirty days either side.
MAX_OFFSET_MINUTES = 30 * 24 * 60

_UNITS = {
    "menit": 1, "mnt": 1, "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
    "jam": 60, "j": 60, "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
    "hari": 1440, "d": 1440, "day": 1440, "days": 1440,
    "minggu": 10080, "pekan": 10080, "w": 10080, "week": 10080, "weeks": 10080,
}
_BEFORE = {"sebelum", "before", "left", "lagi", "tersisa", "sisa", "remaining", "to", "go"}
_AFTER = {"setelah", "sesudah", "after", "past", "lewat", "overdue", "late", "terlambat", "melewati"}
_HALF = {"half", "halfway", "separuh", "setengah", "paruh"}
_DEADLINE = {"deadline", "tenggat", "due", "batas", "tempo"}
#: Words that carry no meaning of their own here ("the", "time", "has passed", ...).
_FILLER = {"the", "of", "a", "at", "on", "time", "gone", "passed", "has", "is", "waktu", "berlalu", "telah",
           "sudah", "saat", "pada", "tepat", "dari", "yang", "jatuh", "and", "dan", "its", "itu", "ketika"}


class PointError(ValueError):
    """The words could not be read as a point; ``reason`` names why, for the page's message."""

    def __init__(self, reason: Literal["unreadable", "direction", "share", "far"]) -> None:
        super().__init__(reason)
        self.reason = reason


def _tokens(text: str) -> list[str]:
    text = text.strip().lower().replace(",", ".")
    # "3x24 jam" is how the decrees write days; "3h" and "12jam" run the number into the unit.
    text = re.sub(r"(\d+)\s*[x×]\s*24\s*(jam|hours?|h)\b", lambda m: f"{int(m.group(1)) * 24} jam", text)
    text = re.sub(r"(\d)([a-z%])", r"\1 \2", text)
    text = re.sub(r"([%])", r" \1 ", text)
    return [word for word in re.split(r"[^a-z0-9.%+-]+", text) if word]


def parse(text: str) -> tuple[Anchor, float]:
    """Words to (anchor, value): ``("share", 0.5)`` or ``("deadline", minutes after it)``.

    Raises ``PointError`` naming what is missing, so the page can say it beside the field.
    """
    words = _tokens(text)
    meaningful = [w for w in words if w not in _FILLER]
    if not meaningful:
        raise PointError("unreadable")
    if all(w in _DEADLINE for w in meaningful):
        return "deadline", 0.0
    kept = [w for w in meaningful if w not in _DEADLINE]
    if len(kept) == 1 and kept[0] in _HALF:
        return "share", 0.5
    numbers = [w for w in meaningful if re.fullmatch(r"[+-]?\d+(\.\d+)?", w)]
    if not numbers:
        raise PointError("unreadable")
    amount = float(numbers[0])
    rest = [w for w in meaningful if w != numbers[0] and w not in _DEADLINE]
    if len(numbers) == 1 and rest in (["%"], ["persen"], ["per", "cent"], ["percent"]):
        if not 0 < amount < 100:
            raise PointError("share")
        return "share", amount / 100
    # Amounts add up, as durations are written: "1 hari 12 jam", "1 day and 12 hours".
    total, pending, directions = 0.0, None, set()
    for word in [w for w in meaningful if w not in _DEADLINE]:
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", word):
            if pending is not None:
                raise PointError("unreadable")
            pending = float(word)
            if word.startswith(("-", "+")):
                directions.add("before" if pending < 0 else "after")
        elif word in _UNITS:
            if pending is None:
                raise PointError("unreadable")
            total, pending = total + abs(pending) * _UNITS[word], None
        elif word in _BEFORE or word in _AFTER:
            directions.add("before" if word in _BEFORE else "after")
        else:
            raise PointError("unreadable")
    if pending is not None or not total:
        raise PointError("unreadable")
    if len(directions) != 1:
        raise PointError("direction")
    minutes = round(total)
    if minutes > MAX_OFFSET_MINUTES:
        raise PointError("far")
    return "deadline", float(-minutes if directions == {"before"} else minutes)


#: The codes the first defaults were stored under, kept so their fired alerts stay matched.
_KNOWN_CODES = {("share", 0.5): "half", ("deadline", -720.0): "12h_left", ("deadline", 0.0): "due",
                ("deadline", 1440.0): "escalation"}


def code_for(anchor: Anchor, value: float) -> str:
    """A point's stored name follows from its moment: the same point always has the same code,
    so a point saved again is not told twice."""
    known = _KNOWN_CODES.get((anchor, float(value)))
    if known:
        return known
    if anchor == "share":
        return f"share_{round(value * 100, 2):g}"
    return f"{'before' if value < 0 else 'after'}_{abs(int(value))}m"
