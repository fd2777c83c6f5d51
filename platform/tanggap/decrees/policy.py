"""The policy engine: what a citizen gets when a service broke some of its standard's components.

The law is the decree's matrix, *Komponen yang dilanggar -> Kompensasi yang diberikan* (point 6
of both seeds' Lampiran), and Metro's souvenir categories (Lampiran II). This module only reads
them, so the app, the command line and the tests all get the same answer. It imports nothing
from the app; warnings are codes, and the app words them in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Literal

from .durations import format_duration
from .rules import Rules, SouvenirTier, Text

WarningCode = Literal[
    # A souvenir is due but no delay was given to pick its tier by.
    "no_delay_for_tier",
    # The delay falls outside every tier (Metro: between 60 minutes and 3 days).
    "no_tier_for_delay",
    # A souvenir is due but the decree has no tiers at all (Lampung's fee row).
    "no_tiers",
    # A refund is due but the overcharged amount was not given.
    "refund_without_amount",
    # An overcharge was given but the decree grants no refund for these components.
    "amount_without_refund",
]

_MINUTE = timedelta(minutes=1)

#: How a souvenir tier's bounds read, everywhere: the file format, the editor, this engine and
#: the inspectorate's gap check. A tier covers delays from ``min_delay`` (inclusive) up to but
#: not including ``max_delay`` (exclusive), counted in whole minutes; no ``max_delay`` means
#: "and longer". So tiers written ``30m-1h`` and ``1h-3d`` meet at exactly one hour, which is
#: the second tier's: adjacent tiers neither overlap nor leave a gap, and ``1h-3d`` is how an
#: office fills Metro's gap between "30-60 menit" and "3 hari - 1 minggu".
TIER_BOUNDS = "[min_delay, max_delay)"


@dataclass(frozen=True)
class Item:
    """One compensation the citizen is owed, as the package fixes it at assessment."""

    code: str
    kind: str
    name: Text
    #: Rupiah to give back; only for refunds.
    amount: int | None = None
    tier: str | None = None
    tier_name: Text | None = None
    #: The souvenir itself (Metro: a pen for tier A).
    item: Text | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``decree simulate --json``: refund and souvenir keys where they apply."""
        data: dict[str, Any] = {"code": self.code, "kind": self.kind, "name": self.name.as_dict()}
        if self.kind == "refund":
            data["amount"] = self.amount
        if self.kind == "souvenir":
            data["tier"] = self.tier
            data["tier_name"] = self.tier_name.as_dict() if self.tier_name else None
            data["item"] = self.item.as_dict() if self.item else None
        return data


@dataclass(frozen=True)
class PackageWarning:
    """Why part of a package needs the leader's judgement; structured, the app writes the prose."""

    code: WarningCode
    delay: timedelta | None = None
    #: The compensation code the warning is about, when it is about one.
    compensation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON shape: the delay written as a decree duration when it is whole minutes."""
        delay = None
        if self.delay is not None:
            whole = self.delay % _MINUTE == timedelta()
            delay = format_duration(self.delay) if whole else str(self.delay)
        return {"code": self.code, "delay": delay, "compensation": self.compensation}


@dataclass(frozen=True)
class Package:
    """The compensation a complaint gets: items in the matrix's order, each once."""

    items: tuple[Item, ...] = ()
    warnings: tuple[PackageWarning, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The item codes in order, handy for display and for tests."""
        return tuple(item.code for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        """The ``items`` and ``warnings`` of ``decree simulate --json``."""
        return {
            "items": [item.as_dict() for item in self.items],
            "warnings": [warning.as_dict() for warning in self.warnings],
        }


@dataclass(frozen=True)
class TierOverlap:
    """Two tiers that both cover some delay, so the souvenir would be ambiguous."""

    first: str
    second: str


@dataclass(frozen=True)
class TierGap:
    """Delays from ``start`` (inclusive) up to ``end`` (exclusive) that no tier covers."""

    after: str
    before: str
    start: timedelta
    end: timedelta


def compensation_package(
    rules: Rules,
    components: Iterable[str],
    delay: timedelta | None = None,
    overcharge: int | None = None,
) -> Package:
    """The package for a complaint upheld on these components.

    Items are the union of the matrix cells of the violated components, in order of first
    appearance walking the components in decree order, then each cell in its own order.
    ``delay`` picks the souvenir tier; ``overcharge`` (Rupiah) becomes the refund's amount.
    """
    if isinstance(components, str):
        raise TypeError("components must be a collection of codes, not one string")
    violated = set(components)
    unknown = violated - {component.code for component in rules.components}
    if unknown:
        raise ValueError(f"unknown component codes: {', '.join(sorted(unknown))}")
    if delay is not None and delay < timedelta():
        raise ValueError(f"delay cannot be negative: {delay}")
    if overcharge is not None and overcharge < 0:
        raise ValueError(f"overcharge cannot be negative: {overcharge}")

    codes: list[str] = []
    for component in rules.components:
        if component.code in violated:
            codes.extend(code for code in component.compensations if code not in codes)

    items: list[Item] = []
    warnings: list[PackageWarning] = []
    for code in codes:
        compensation = rules.compensation(code)
        item = Item(code=code, kind=compensation.kind, name=compensation.name)
        if compensation.kind == "refund":
            # Pengembalian biaya "secara utuh atau kelebihan": Metro's fee row; the amount
            # is what the leader finds was charged wrongly.
            item = replace(item, amount=overcharge)
            if overcharge is None:
                warnings.append(PackageWarning("refund_without_amount", compensation=code))
        elif compensation.kind == "souvenir":
            item, warning = _with_tier(rules, item, delay)
            if warning is not None:
                warnings.append(warning)
        items.append(item)
    if overcharge is not None and not any(item.kind == "refund" for item in items):
        warnings.append(PackageWarning("amount_without_refund"))
    return Package(items=tuple(items), warnings=tuple(warnings))


def tier_for(rules: Rules, delay: timedelta) -> SouvenirTier | None:
    """The tier covering a delay, or None when the delay falls in no tier.

    Delays count in whole minutes, the decree's own unit ("30-60 menit"), so a delay of
    59 minutes 40 seconds is still tier A (30m-1h). Bounds read as ``TIER_BOUNDS`` says:
    from the lower inclusive to the upper exclusive; a tier without ``max_delay`` covers
    every longer delay.
    """
    if delay < timedelta():
        raise ValueError(f"delay cannot be negative: {delay}")
    minutes = delay // _MINUTE
    for tier in rules.tiers:
        low, high = _minute_range(tier)
        if low <= minutes and (high is None or minutes < high):
            return tier
    return None


def tier_problems(
    tiers: Sequence[SouvenirTier],
) -> tuple[tuple[TierOverlap, ...], tuple[TierGap, ...]]:
    """Overlapping tiers (an error in a decree file) and gaps between tiers (a warning).

    Only gaps between tiers count: delays below the first tier or above the last are, by the
    decree's design, too small or beyond its categories (Metro starts at 30 minutes). Bounds
    read as ``TIER_BOUNDS`` says, so tiers [a, b) and [b, c) meet exactly.
    """
    ranges = [(tier, *_minute_range(tier)) for tier in tiers]
    overlaps = tuple(
        TierOverlap(first.code, second.code)
        for index, (first, first_low, first_high) in enumerate(ranges)
        for second, second_low, second_high in ranges[index + 1 :]
        if _reaches(first_high, second_low) and _reaches(second_high, first_low)
    )
    gaps: list[TierGap] = []
    ordered = sorted(
        ranges, key=lambda entry: (entry[1], math.inf if entry[2] is None else entry[2])
    )
    if ordered:
        covering, _, covered_until = ordered[0]
        for tier, low, high in ordered[1:]:
            if covered_until is None:
                break
            if low > covered_until:
                gaps.append(
                    TierGap(covering.code, tier.code, covered_until * _MINUTE, low * _MINUTE)
                )
            if high is None or high > covered_until:
                covering, covered_until = tier, high
    return overlaps, tuple(gaps)


def _with_tier(
    rules: Rules, item: Item, delay: timedelta | None
) -> tuple[Item, PackageWarning | None]:
    """Resolve the souvenir's tier; with none, keep the item and say why (the leader decides)."""
    if not rules.tiers:
        # Lampung lists a souvenir under fee but has no category table.
        return item, PackageWarning("no_tiers", delay=delay, compensation=item.code)
    if delay is None:
        return item, PackageWarning("no_delay_for_tier", compensation=item.code)
    tier = tier_for(rules, delay)
    if tier is None:
        # Metro's Lampiran II leaves 60 minutes - 3 days uncovered.
        return item, PackageWarning("no_tier_for_delay", delay=delay, compensation=item.code)
    return replace(item, tier=tier.code, tier_name=tier.name, item=tier.item), None


def _minute_range(tier: SouvenirTier) -> tuple[int, int | None]:
    """The whole minutes ``m`` a tier covers, as ``low <= m < high`` (``TIER_BOUNDS``)."""
    low = -(-tier.min_delay // _MINUTE)
    high = None if tier.max_delay is None else -(-tier.max_delay // _MINUTE)
    return low, high


def _reaches(high: int | None, low: int) -> bool:
    """Whether a range ending (exclusively) at ``high`` reaches a range starting at ``low``."""
    return high is None or high > low
