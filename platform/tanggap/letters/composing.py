"""What a letter says, from plain data: its number in the office's pattern, its body with the
complaint's facts filled in, the lines of a receipt. Pure: no Flask, no database, so the rules
of a letter are tested without either; ``rendering`` turns the result into HTML and PDF.

An office edits its bodies as plain text with ``{placeholders}``; they are filled by name
only (never evaluated as a template), so a body can show nothing but the facts listed in
``PLACEHOLDERS``, and a placeholder it misspells stays visible for the office to correct.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

#: The letter each kind of package item gets; priority (served without queueing) gets none.
KIND_OF_ITEM = {"apology": "apology", "clarification": "clarification", "refund": "receipt", "souvenir": "receipt"}

#: What a numbering pattern may use. ``seq`` is the office's gapless count of letters in the year.
NUMBER_FIELDS = ("seq", "kind", "unit", "roman_month", "month", "year")
#: The facts a body may name.
PLACEHOLDERS = ("citizen", "complaint_number", "filed_on", "office_name", "service", "components", "decree_number",
                "compensation_items", "explanation", "item", "amount", "receipt_number", "category")

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class PatternError(ValueError):
    """A numbering pattern that cannot number letters; ``reason`` is a code the form words."""

    def __init__(self, reason: str, name: str = "") -> None:
        super().__init__(f"{reason}: {name}" if name else reason)
        self.reason, self.name = reason, name


def pattern_fields(pattern: str) -> list[str]:
    """The names a pattern uses, or ``PatternError``: unknown names, and a pattern without the
    sequence or the year (numbers would repeat), are refused."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        raise PatternError("syntax") from None
    for name in names:
        if name not in NUMBER_FIELDS:
            raise PatternError("unknown", name)
    for needed in ("seq", "year"):
        if needed not in names:
            raise PatternError("missing", needed)
    return names


def letter_number(pattern: str, *, seq: int, kind: str, unit: str, month: int, year: int) -> str:
    """The number as the office writes it: ``007/PM/DISDIKBUD/XII/2026``."""
    pattern_fields(pattern)
    return pattern.format(seq=f"{seq:03d}", kind=kind, unit=unit, roman_month=_ROMAN[month - 1],
                          month=f"{month:02d}", year=year)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced; any other braces are left as written."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def paragraphs(text: str) -> list[str]:
    """A body's paragraphs: separated by blank lines; empty ones (a fact left blank) dropped."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


@dataclass(frozen=True)
class Signer:
    name: str
    position: str
    rank: str
    nip: str


@dataclass(frozen=True)
class Composed:
    """Everything the page of a letter shows, in its own language."""

    kind: str
    locale: str
    number: str
    place: str
    date: str
    subject: str
    addressee: str
    paragraphs: list[str]
    signer: Signer
    #: A receipt's lines: (label, value), in order.
    lines: list[tuple[str, str]] = field(default_factory=list)


def compose(*, kind: str, locale: str, number: str, place: str, date: str, subject: str, body: str,
            addressee: str, facts: Mapping[str, str], signer: Signer,
            lines: list[tuple[str, str]] | None = None) -> Composed:
    """The letter, its body filled with ``facts``."""
    return Composed(kind=kind, locale=locale, number=number, place=place, date=date, subject=fill(subject, facts),
                    addressee=addressee, paragraphs=paragraphs(fill(body, facts)), signer=signer,
                    lines=list(lines or []))
