"""The pure picture of a decree's rules, free of the database and of Flask.

The policy engine and the deadline clock read only these frozen values, so a complaint can
keep a snapshot of the rules it was judged under and tests can write rules by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, time, timedelta
from typing import Literal, TypeVar, get_args

CompensationKind = Literal["apology", "clarification", "priority", "refund", "souvenir", "other"]
SanctionKind = Literal["disciplinary", "developmental", "other"]
Counting = Literal["calendar", "working"]

COMPENSATION_KINDS: tuple[str, ...] = get_args(CompensationKind)
SANCTION_KINDS: tuple[str, ...] = get_args(SanctionKind)
COUNTINGS: tuple[str, ...] = get_args(Counting)
#: "ID": Indonesia's public holidays from the `holidays` package; "": none.
HOLIDAY_CALENDARS: tuple[str, ...] = ("ID", "")


@dataclass(frozen=True)
class Text:
    """A bilingual string of decree content; decrees are data, so they carry both languages."""

    id: str
    en: str

    def get(self, locale: object | None) -> str:
        """The text for a locale ("en", "en_US", a babel Locale); Indonesian is the default."""
        language = str(locale or "").replace("-", "_").split("_")[0].lower()
        return self.en if language == "en" else self.id

    def as_dict(self) -> dict[str, str]:
        """The ``{"id": ..., "en": ...}`` shape of decree files and the JSON API."""
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True)
class CompensationType:
    """A *bentuk kompensasi* the decree names: point 6 of the seeds' Lampiran."""

    code: str
    kind: CompensationKind
    name: Text

    def __post_init__(self) -> None:
        _check_choice("kind", self.kind, COMPENSATION_KINDS)


@dataclass(frozen=True)
class Component:
    """A *komponen standar pelayanan* and its row of the compensation matrix."""

    code: str
    name: Text
    #: Compensation codes in the order the decree's matrix cell lists them.
    compensations: tuple[str, ...]
    #: Plain words telling a citizen what breaking this component means.
    description: Text | None = None

    def __post_init__(self) -> None:
        _freeze(self, "compensations")
        if len(set(self.compensations)) != len(self.compensations):
            raise ValueError(f"component {self.code!r} lists a compensation twice")


@dataclass(frozen=True)
class SouvenirTier:
    """A *kategori ketidakpuasan* of Metro's Lampiran II: a delay range and its souvenir.

    The bounds read as ``policy.TIER_BOUNDS`` says: lower inclusive, upper exclusive.
    """

    code: str
    name: Text
    #: Inclusive lower bound.
    min_delay: timedelta
    #: Exclusive upper bound; None means "and longer".
    max_delay: timedelta | None
    item: Text
    #: Rupiah per item, for the office's stock planning.
    unit_cost: int | None = None
    stock: int | None = None

    def __post_init__(self) -> None:
        if self.min_delay < timedelta():
            raise ValueError(f"tier {self.code!r}: min_delay cannot be negative")
        if self.max_delay is not None and self.max_delay <= self.min_delay:
            raise ValueError(f"tier {self.code!r}: max_delay is not above min_delay")


@dataclass(frozen=True)
class Deadline:
    """*Kompensasi diberikan maksimal N x 24 jam*: point 8 of both seeds' Lampiran."""

    hours: int
    counting: Counting = "calendar"
    #: ISO weekdays, Monday = 1; only read when counting working hours.
    working_days: tuple[int, ...] = (1, 2, 3, 4, 5)
    #: Opening and closing time, in the tenant's local time.
    working_hours: tuple[time, time] = (time(8), time(16))
    holidays: str = "ID"
    #: The office's own closed days (*cuti bersama*), on top of national holidays.
    days_off: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "working_days", "working_hours", "days_off")
        if isinstance(self.hours, bool) or not isinstance(self.hours, int) or self.hours <= 0:
            raise ValueError(f"deadline hours must be a whole number above 0, not {self.hours!r}")
        _check_choice("counting", self.counting, COUNTINGS)
        _check_choice("holidays", self.holidays, HOLIDAY_CALENDARS)
        if not self.working_days or any(day not in range(1, 8) for day in self.working_days):
            raise ValueError(f"working_days must be ISO weekdays 1..7, not {self.working_days!r}")
        opening, closing = self.working_hours
        if not opening < closing:
            raise ValueError(f"working hours must open before they close: {opening}-{closing}")


@dataclass(frozen=True)
class SanctionType:
    """A *sanksi kepada pemberi layanan*: point 7 of both seeds' Lampiran."""

    code: str
    name: Text
    kind: SanctionKind = "other"

    def __post_init__(self) -> None:
        _check_choice("kind", self.kind, SANCTION_KINDS)


@dataclass(frozen=True)
class Rules:
    """Everything of one decree that decides what a complaint gets, in the decree's order."""

    number: str
    compensations: tuple[CompensationType, ...]
    components: tuple[Component, ...]
    tiers: tuple[SouvenirTier, ...]
    deadline: Deadline
    sanctions: tuple[SanctionType, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "compensations", "components", "tiers", "sanctions")
        for name in ("compensations", "components", "tiers", "sanctions"):
            _check_unique(name, getattr(self, name))
        defined = {compensation.code for compensation in self.compensations}
        for component in self.components:
            for code in component.compensations:
                if code not in defined:
                    raise ValueError(
                        f"component {component.code!r} names undefined compensation {code!r}"
                    )

    def compensation(self, code: str) -> CompensationType:
        """The compensation type with this code; KeyError when the decree has none."""
        return _by_code(self.compensations, code)

    def component(self, code: str) -> Component:
        """The component with this code; KeyError when the decree has none."""
        return _by_code(self.components, code)

    def tier(self, code: str) -> SouvenirTier:
        """The souvenir tier with this code; KeyError when the decree has none."""
        return _by_code(self.tiers, code)

    def sanction(self, code: str) -> SanctionType:
        """The sanction type with this code; KeyError when the decree has none."""
        return _by_code(self.sanctions, code)


_Coded = TypeVar("_Coded", CompensationType, Component, SouvenirTier, SanctionType)


def _by_code(entries: Iterable[_Coded], code: str) -> _Coded:
    for entry in entries:
        if entry.code == code:
            return entry
    raise KeyError(code)


def _freeze(instance: object, *names: str) -> None:
    """Store sequence fields as tuples, so rules built from lists (DB rows) stay hashable."""
    known = {field.name for field in fields(instance)}  # type: ignore[arg-type]
    for name in names:
        assert name in known, name
        object.__setattr__(instance, name, tuple(getattr(instance, name)))


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")


def _check_unique(name: str, entries: tuple[_Coded, ...]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            raise ValueError(f"{name}: code {entry.code!r} is used twice")
        seen.add(entry.code)
