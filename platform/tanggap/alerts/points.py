"""Alert points on a complaint's deadline, and which are due. Pure: no Flask, no database.

A point is either a share of the time between submission and deadline ("half the time
gone") or an offset from the deadline ("12 hours left", "due now", "24 hours overdue").
The defaults are the issue's; an office may set its own.
"""

from __future__ import annotations

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
