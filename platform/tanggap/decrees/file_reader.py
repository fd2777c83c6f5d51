"""Reading a parsed decree file key by key, collecting every problem under its key path.

An office admin fixing a file wants all of its problems at once, each naming where it is
(``souvenir_tiers[1].min_delay``), so the getters here record a problem and return None
instead of raising. Messages go through Babel; the app shows them in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from difflib import get_close_matches
from typing import Any, Literal

from flask_babel import gettext as _

from ..forms import CONTROL_CHARACTERS
from .durations import parse_duration
from .rules import Text

Severity = Literal["error", "warning"]

#: Codes of compensations, components, tiers and sanctions: short, URL- and form-safe.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a second look) in a decree file, and where."""

    file: str
    #: Key path counting list entries from 0: ``souvenir_tiers[1].min_delay``; "" for the file.
    key: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        parts = [self.file, self.key] if self.key else [self.file]
        if self.severity == "warning":
            parts.append(_("warning"))
        return ": ".join([*parts, self.message])


def join(path: str, name: str) -> str:
    """The key path of ``name`` inside the table at ``path``."""
    return f"{path}.{name}" if path else name


def entry(path: str, index: int) -> str:
    """The key path of a list entry."""
    return f"{path}[{index}]"


def type_name(value: object) -> str:
    """What a TOML value is, in words an office admin knows."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int):
        return _("a whole number")
    if isinstance(value, float):
        return _("a decimal number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, datetime):
        return _("a date and time")
    if isinstance(value, date):
        return _("a date")
    if isinstance(value, time):
        return _("a time")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a table")
    return type(value).__name__


class Reader:
    """Typed getters over TOML tables that record problems and return None for bad values."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    @property
    def has_errors(self) -> bool:
        """Whether the file must be rejected; warnings alone let it load."""
        return any(problem.severity == "error" for problem in self.problems)

    def error(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.filename, key, message, "error"))

    def warn(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.filename, key, message, "warning"))

    def wrong_type(self, key: str, expected: str, value: object) -> None:
        self.error(
            key,
            _("must be %(expected)s, not %(actual)s", expected=expected, actual=type_name(value)),
        )

    def table(self, value: object, key: str, known: Collection[str]) -> dict[str, Any] | None:
        """Check that ``value`` is a table with no keys but ``known``."""
        if not isinstance(value, dict):
            self.wrong_type(key, _("a table"), value)
            return None
        for name in value:
            if name not in known:
                self.error(join(key, name), _unknown_key(name, known))
        return value

    def raw(self, table: Mapping[str, Any], path: str, name: str, required: bool) -> Any:
        """The value at ``name``, recording a problem when it is required and missing."""
        if name not in table:
            if required:
                self.error(join(path, name), _("missing"))
            return None
        return table[name]

    def string(
        self,
        table: Mapping[str, Any],
        path: str,
        name: str,
        required: bool = False,
        pattern: re.Pattern[str] | None = None,
        explain: str = "",
        longest: int | None = None,
    ) -> str | None:
        """Non-empty text, optionally of a given form (``explain`` says which) and at most
        ``longest`` characters (the database column's width)."""
        value = self.raw(table, path, name, required)
        checked = None if value is None else self.check_string(value, join(path, name), pattern, explain)
        if checked is not None and longest is not None and len(checked) > longest:
            self.too_long(join(path, name), longest)
            return None
        return checked

    def too_long(self, key: str, longest: int) -> None:
        self.error(key, _("must be at most %(count)d characters", count=longest))

    def check_string(
        self, value: object, key: str, pattern: re.Pattern[str] | None = None, explain: str = ""
    ) -> str | None:
        """Like ``string`` for a value already in hand, such as a list entry."""
        if not isinstance(value, str):
            self.wrong_type(key, _("text"), value)
            return None
        if not value.strip():
            self.error(key, _("must not be empty"))
            return None
        if CONTROL_CHARACTERS.search(value):  # pasted from elsewhere, or escaped in a file ("\u0007")
            self.error(key, _("must not contain control characters: remove them"))
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.error(key, explain or _("has the wrong form"))
            return None
        return value

    def code(self, table: Mapping[str, Any], path: str) -> str | None:
        """The required ``code`` of a list entry; codes end up in URLs and form values."""
        return self.string(
            table,
            path,
            "code",
            required=True,
            pattern=CODE,
            explain=_("must be letters, digits, hyphens or underscores (at most 40)"),
        )

    def choice(
        self,
        table: Mapping[str, Any],
        path: str,
        name: str,
        choices: Collection[str],
        default: str | None = None,
        required: bool = False,
    ) -> str | None:
        """One of a fixed set of words; ``default`` when absent and not required."""
        value = self.raw(table, path, name, required)
        if value is None:
            return None if required else default
        if not isinstance(value, str):
            self.wrong_type(join(path, name), _("text"), value)
            return None
        if value not in choices:
            listed = ", ".join(f'"{choice}"' for choice in choices)
            self.error(join(path, name), _("must be one of: %(choices)s", choices=listed))
            return None
        return value

    def integer(
        self,
        table: Mapping[str, Any],
        path: str,
        name: str,
        required: bool = False,
        minimum: int = 0,
        maximum: int | None = None,
    ) -> int | None:
        """A whole number (true/false is not one, though Python thinks so) at least ``minimum``."""
        value = self.raw(table, path, name, required)
        if value is None:
            return None
        if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit() and len(value) > 18:
            self.error(join(path, name), _("is too large a number"))  # the digits a form field could not hold
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(join(path, name), _("a whole number"), value)
            return None
        if value < minimum:
            self.error(join(path, name), _("must be at least %(minimum)d", minimum=minimum))
            return None
        if maximum is not None and value > maximum:
            self.error(join(path, name), _("must be at most %(maximum)d", maximum=maximum))
            return None
        return value

    def text(
        self, table: Mapping[str, Any], path: str, name: str, required: bool = False
    ) -> Text | None:
        """A bilingual ``{ id = "...", en = "..." }``; both languages are required."""
        value = self.raw(table, path, name, required)
        if value is None:
            return None
        key = join(path, name)
        if not isinstance(value, dict):
            self.wrong_type(key, _('a table like { id = "...", en = "..." }'), value)
            return None
        self.table(value, key, ("id", "en"))
        indonesian = self.string(value, key, "id", required=True)
        english = self.string(value, key, "en", required=True)
        if indonesian is None or english is None:
            return None
        return Text(id=indonesian, en=english)

    def strings(
        self, table: Mapping[str, Any], path: str, name: str, required: bool = False
    ) -> tuple[str, ...] | None:
        """A list of non-empty texts: clauses, copies, notes."""
        values = self.array(table, path, name, required)
        if values is None:
            return None
        key = join(path, name)
        checked = [
            self.check_string(value, entry(key, index)) for index, value in enumerate(values)
        ]
        return tuple(value for value in checked if value is not None)

    def array(
        self, table: Mapping[str, Any], path: str, name: str, required: bool = False
    ) -> list[Any] | None:
        """A list of anything; its entries are checked by the caller."""
        value = self.raw(table, path, name, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.wrong_type(join(path, name), _("a list"), value)
            return None
        return value

    def tables(
        self,
        table: Mapping[str, Any],
        path: str,
        name: str,
        known: Collection[str],
        required: bool = False,
    ) -> list[tuple[str, dict[str, Any]]]:
        """An array of tables (``[[components]]``), each with its key path and checked keys."""
        values = self.array(table, path, name, required)
        key = join(path, name)
        found = []
        for index, value in enumerate(values or []):
            checked = self.table(value, entry(key, index), known)
            if checked is not None:
                found.append((entry(key, index), checked))
        return found

    def date_value(
        self, table: Mapping[str, Any], path: str, name: str, required: bool = False
    ) -> date | None:
        """A date at ``name``; see ``check_date``."""
        value = self.raw(table, path, name, required)
        return None if value is None else self.check_date(value, join(path, name))

    def check_date(self, value: object, key: str) -> date | None:
        """A TOML date or a ``"YYYY-MM-DD"`` string (the design's examples quote dates)."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            self.wrong_type(key, _("a date"), value)
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.error(key, _("not a date: write YYYY-MM-DD, e.g. 2024-01-04"))
            return None

    def duration(
        self, table: Mapping[str, Any], path: str, name: str, required: bool = False
    ) -> timedelta | None:
        """A duration as ``durations.parse_duration`` reads it: ``30m``, ``2 jam``, ``1 hari 12 jam``."""
        value = self.raw(table, path, name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.wrong_type(join(path, name), _("text"), value)
            return None
        try:
            return parse_duration(value)
        except ValueError:
            self.error(
                join(path, name),
                _(
                    "%(value)s is not a duration: write e.g. 45 minutes, 2 hours, 3 days,"
                    " 1 week or 1 day 12 hours (or 45m, 2h, 3d, 1w)",
                    value=repr(value),
                ),
            )
            return None

    def unique_codes(
        self, entries: list[tuple[str, dict[str, Any]]], codes: list[str | None]
    ) -> None:
        """Report every code after its first use in the same list."""
        seen: set[str] = set()
        for (key, _table), code in zip(entries, codes, strict=True):
            if code is None:
                continue
            if code in seen:
                self.error(join(key, "code"), _("duplicate code %(code)s", code=repr(code)))
            seen.add(code)


def _unknown_key(name: str, known: Collection[str]) -> str:
    """Say which key was probably meant, since most unknown keys are typos."""
    close = get_close_matches(name, list(known), n=1, cutoff=0.75)
    if close:
        return _("unknown key (did you mean %(key)s?)", key=close[0])
    return _("unknown key")
