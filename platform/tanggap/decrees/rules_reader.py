"""The rule tables of a decree file: deadline, compensations, matrix, souvenir tiers, sanctions.

Besides types and shapes, this checks what makes the law inconsistent: matrix cells naming
undefined compensations, duplicate codes, overlapping souvenir tiers (errors) and gaps
between tiers or a souvenir with no tiers (warnings: both seeds ship with one of those).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from flask_babel import gettext as _

from ..database import LARGEST_ID
from .file_reader import Reader, entry, join
from .policy import tier_problems
from .rules import (
    COMPENSATION_KINDS,
    COUNTINGS,
    HOLIDAY_CALENDARS,
    SANCTION_KINDS,
    CompensationType,
    Component,
    Deadline,
    Rules,
    SanctionType,
    SouvenirTier,
)
from .specs import EnactedRow
from .duration_words import duration_words

DEADLINE_KEYS = ("hours", "counting", "working_days", "working_hours", "holidays", "days_off")
WORKING_KEYS = DEADLINE_KEYS[2:]
COMPENSATION_KEYS = ("code", "kind", "name")
COMPONENT_KEYS = ("code", "name", "compensations", "description", "enacted")
TIER_KEYS = ("code", "name", "min_delay", "max_delay", "item", "unit_cost", "stock", "enacted")
SANCTION_KEYS = ("code", "name", "kind")
MAX_HOURS = 24 * 366
#: A tier's code is printed on the souvenir register; its column holds 20 characters.
TIER_CODE_LONGEST = 20
_HOURS = re.compile(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})")

Entries = list[tuple[str, dict[str, Any]]]


def read_rules(
    reader: Reader, document: dict[str, Any], number: str | None
) -> tuple[Rules | None, tuple[EnactedRow, ...]]:
    """The decree's rules (None when the file has errors) and its table rows as enacted."""
    deadline_value = reader.raw(document, "", "deadline", required=True)
    deadline = None if deadline_value is None else _read_deadline(reader, deadline_value)
    compensations, compensation_entries = _read_compensations(reader, document)
    defined = {compensation.code for compensation in compensations}
    components, component_entries = _read_components(reader, document, defined)
    tiers, tier_entries = _read_tiers(reader, document)
    sanctions = _read_sanctions(reader, document)
    if not reader.has_errors:
        # Only a sound matrix says truly what is unused; with errors these would be noise.
        _check_matrix(reader, compensations, compensation_entries, components, tiers)
    enacted = tuple(
        EnactedRow(table, found["code"], found["enacted"])
        for table, entries in (("components", component_entries), ("souvenir_tiers", tier_entries))
        for _key, found in entries
        if isinstance(found.get("enacted"), str) and isinstance(found.get("code"), str)
    )
    if reader.has_errors or deadline is None or number is None:
        return None, enacted
    rules = Rules(
        number=number,
        compensations=compensations,
        components=components,
        tiers=tiers,
        deadline=deadline,
        sanctions=sanctions,
    )
    return rules, enacted


def _read_deadline(reader: Reader, value: object) -> Deadline | None:
    """``[deadline]``; the working-time keys default to a Monday-Friday, 08:00-16:00 week."""
    path = "deadline"
    table = reader.table(value, path, DEADLINE_KEYS)
    if table is None:
        return None
    # A year of hours is far beyond any decree (the seeds say 2 x 24 and 3 x 24) and keeps
    # a typo from making due_at walk for centuries.
    hours = reader.integer(table, path, "hours", required=True, minimum=1, maximum=MAX_HOURS)
    counting = reader.choice(table, path, "counting", COUNTINGS, default="calendar")
    working_days = _read_working_days(reader, table, path)
    working_hours = _read_working_hours(reader, table, path)
    holidays = reader.choice(table, path, "holidays", HOLIDAY_CALENDARS, default="ID")
    days_off = [
        reader.check_date(value, entry(join(path, "days_off"), index))
        for index, value in enumerate(reader.array(table, path, "days_off") or [])
    ]
    if counting == "calendar":
        for name in WORKING_KEYS:
            if name in table:
                reader.warn(join(path, name), _('only used when counting = "working"'))
    if hours is None or counting is None or holidays is None or None in days_off:
        return None
    if working_days is None or working_hours is None:
        return None
    return Deadline(
        hours=hours,
        counting=counting,  # type: ignore[arg-type]
        working_days=working_days,
        working_hours=working_hours,
        holidays=holidays,
        days_off=tuple(day for day in days_off if isinstance(day, date)),
    )


def _read_working_days(reader: Reader, table: dict[str, Any], path: str) -> tuple[int, ...] | None:
    values = reader.array(table, path, "working_days")
    if values is None:
        return None if "working_days" in table else (1, 2, 3, 4, 5)
    key = join(path, "working_days")
    if not values:
        reader.error(key, _("must name at least one day"))
        return None
    days: list[int] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7:
            reader.error(entry(key, index), _("must be a weekday from 1 (Monday) to 7 (Sunday)"))
        elif value in days:
            reader.error(entry(key, index), _("listed twice"))
        else:
            days.append(value)
    return tuple(days) if len(days) == len(values) else None


def _read_working_hours(
    reader: Reader, table: dict[str, Any], path: str
) -> tuple[time, time] | None:
    """``"HH:MM-HH:MM"`` in the tenant's local time; an office closes after it opens."""
    text = reader.string(table, path, "working_hours")
    if text is None:
        return None if "working_hours" in table else (time(8), time(16))
    key = join(path, "working_hours")
    match = _HOURS.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        numbers = [int(group) for group in match.groups()]
        opening, closing = time(numbers[0], numbers[1]), time(numbers[2], numbers[3])
    except ValueError:
        reader.error(key, _("not a time range: write HH:MM-HH:MM, e.g. 08:00-16:00"))
        return None
    if not opening < closing:
        reader.error(key, _("must open before it closes"))
        return None
    return opening, closing


def _read_compensations(
    reader: Reader, document: dict[str, Any]
) -> tuple[tuple[CompensationType, ...], Entries]:
    entries = _entries(reader, document, "compensations", COMPENSATION_KEYS, required=True)
    found: list[CompensationType] = []
    codes: list[str | None] = []
    for key, table in entries:
        code = reader.code(table, key)
        kind = reader.choice(table, key, "kind", COMPENSATION_KINDS, required=True)
        name = reader.text(table, key, "name", required=True)
        codes.append(code)
        if code is not None and kind is not None and name is not None and code not in codes[:-1]:
            found.append(CompensationType(code, kind, name))  # type: ignore[arg-type]
    reader.unique_codes(entries, codes)
    return tuple(found), entries


def _read_components(
    reader: Reader, document: dict[str, Any], defined: set[str]
) -> tuple[tuple[Component, ...], Entries]:
    entries = _entries(reader, document, "components", COMPONENT_KEYS, required=True)
    found: list[Component] = []
    codes: list[str | None] = []
    for key, table in entries:
        code = reader.code(table, key)
        name = reader.text(table, key, "name", required=True)
        description = reader.text(table, key, "description")
        reader.string(table, key, "enacted")
        compensations = _read_cell(reader, table, key, defined)
        codes.append(code)
        if (
            code is not None
            and name is not None
            and compensations is not None
            and code not in codes[:-1]
        ):
            found.append(Component(code, name, compensations, description))
    reader.unique_codes(entries, codes)
    return tuple(found), entries


def _read_cell(
    reader: Reader, table: dict[str, Any], path: str, defined: set[str]
) -> tuple[str, ...] | None:
    """One cell of the matrix: the compensations a violated component earns, in order."""
    values = reader.array(table, path, "compensations", required=True)
    if values is None:
        return None
    key = join(path, "compensations")
    if not values:
        reader.error(key, _("must name at least one compensation"))
        return None
    codes: list[str] = []
    for index, value in enumerate(values):
        code = reader.check_string(value, entry(key, index))
        if code is None:
            continue
        if code not in defined:
            reader.error(
                entry(key, index),
                _("no compensation with code %(code)s is defined", code=repr(code)),
            )
        elif code in codes:
            reader.error(entry(key, index), _("listed twice"))
        else:
            codes.append(code)
    return tuple(codes) if len(codes) == len(values) else None


def _read_tiers(
    reader: Reader, document: dict[str, Any]
) -> tuple[tuple[SouvenirTier, ...], Entries]:
    """Metro's Lampiran II: overlapping tiers are errors, gaps between them warnings.

    Bounds read as ``policy.TIER_BOUNDS`` says (lower inclusive, upper exclusive), the same
    reading the engine picks a tier by and the inspectorate checks gaps with.
    """
    entries = _entries(reader, document, "souvenir_tiers", TIER_KEYS, required=False)
    found: list[SouvenirTier] = []
    keys: dict[str, str] = {}
    codes: list[str | None] = []
    for key, table in entries:
        code = reader.code(table, key)
        if code is not None and len(code) > TIER_CODE_LONGEST:
            reader.too_long(join(key, "code"), TIER_CODE_LONGEST)
            code = None
        name = reader.text(table, key, "name", required=True)
        min_delay = reader.duration(table, key, "min_delay", required=True)
        max_delay = reader.duration(table, key, "max_delay")
        if min_delay is not None and max_delay is not None and max_delay <= min_delay:
            # TIER_BOUNDS: up to but not including the upper bound, so it must lie above the lower.
            reader.error(join(key, "max_delay"), _("must be longer than the lower bound"))
            max_delay = min_delay = None
        item = reader.text(table, key, "item", required=True)
        unit_cost = reader.integer(table, key, "unit_cost", maximum=LARGEST_ID)  # the database's integer
        stock = reader.integer(table, key, "stock", maximum=LARGEST_ID)
        reader.string(table, key, "enacted")
        codes.append(code)
        if code is None or name is None or min_delay is None or item is None or code in keys:
            continue
        if "max_delay" in table and max_delay is None:
            continue
        keys[code] = key
        found.append(SouvenirTier(code, name, min_delay, max_delay, item, unit_cost, stock))
    reader.unique_codes(entries, codes)
    overlaps, gaps = tier_problems(found)
    for overlap in overlaps:
        reader.error(keys[overlap.second], _("overlaps category %(code)s", code=overlap.first))
    for gap in gaps:
        reader.warn(
            "souvenir_tiers",
            _(
                "no category covers delays from %(start)s to under %(end)s"
                " (between categories %(after)s and %(before)s)",
                start=duration_words(gap.start),
                end=duration_words(gap.end),
                after=gap.after,
                before=gap.before,
            ),
        )
    return tuple(found), entries


def _read_sanctions(reader: Reader, document: dict[str, Any]) -> tuple[SanctionType, ...]:
    entries = _entries(reader, document, "sanctions", SANCTION_KEYS, required=False)
    found: list[SanctionType] = []
    codes: list[str | None] = []
    for key, table in entries:
        code = reader.code(table, key)
        name = reader.text(table, key, "name", required=True)
        kind = reader.choice(table, key, "kind", SANCTION_KINDS, default="other")
        codes.append(code)
        if code is not None and name is not None and kind is not None and code not in codes[:-1]:
            found.append(SanctionType(code, name, kind))  # type: ignore[arg-type]
    reader.unique_codes(entries, codes)
    return tuple(found)


def _check_matrix(
    reader: Reader,
    compensations: tuple[CompensationType, ...],
    entries: Entries,
    components: tuple[Component, ...],
    tiers: tuple[SouvenirTier, ...],
) -> None:
    """Warn where the matrix and the tiers do not meet, and about compensations never granted."""
    used = {code for component in components for code in component.compensations}
    keys = {
        table["code"]: key for key, table in reversed(entries) if isinstance(table.get("code"), str)
    }
    for compensation in compensations:
        key = keys[compensation.code]
        if compensation.code not in used:
            reader.warn(key, _("not used by any component"))
        elif compensation.kind == "souvenir" and not tiers:
            # Lampung's fee row grants a souvenir but the decree has no category table.
            reader.warn(
                key, _("a souvenir with no souvenir categories: the leader chooses it at assessment")
            )
    souvenirs_used = any(
        compensation.kind == "souvenir" and compensation.code in used
        for compensation in compensations
    )
    if tiers and not souvenirs_used:
        reader.warn("souvenir_tiers", _("no component grants a souvenir, so no tier is ever used"))


def _entries(
    reader: Reader, document: dict[str, Any], name: str, known: tuple[str, ...], required: bool
) -> Entries:
    """An array of tables; a required one must also not be empty."""
    entries = reader.tables(document, "", name, known, required=required)
    if required and document.get(name) == []:
        reader.error(name, _("must not be empty"))
    return entries
