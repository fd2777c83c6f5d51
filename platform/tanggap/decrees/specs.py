"""The ``[tenant]`` and ``[decree]`` tables of a decree file: the office, and the decree's text.

These carry no rules (those are in ``rules.py``) but everything needed to show the decree as
enacted, clause by clause, and to set the office up as a tenant.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _

from .. import i18n
from ..tenancy.models import RESERVED_SLUGS
from .file_reader import Reader, join
from .fields import DECREE_FIELDS, DECREE_KEYS, FIELDS_BY_KEY, SIGNER_PARTS, DecreeField
from .rules import Text

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LOCALES = ("id", "en")
BRAND_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: WCAG AA for normal text: the brand colour carries white text in headers and buttons.
MIN_CONTRAST = 4.5
ATTACHMENT_CONTENTS = ("policy", "souvenir_tiers", "other")


@dataclass(frozen=True)
class RegionSpec:
    """The *pemerintah daerah* the office belongs to; inspectors are scoped to regions."""

    slug: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Letterhead:
    """The *kop surat*: government and office lines, then contact lines as printed."""

    header: Text | None = None
    office: Text | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TenantSpec:
    """An office as the platform hosts it: slug, names, region, time zone and branding."""

    slug: str
    name: Text
    region: RegionSpec
    timezone: str
    address: str | None = None
    phone: str | None = None
    fax: str | None = None
    website: str | None = None
    email: str | None = None
    postal_code: str | None = None
    brand_color: str | None = None
    default_locale: str = "id"
    letterhead: Letterhead | None = None


@dataclass(frozen=True)
class Signer:
    """Who signed the decree: *nama, pangkat, NIP*."""

    name: str
    position: str | None = None
    rank: str | None = None
    nip: str | None = None


@dataclass(frozen=True)
class Decision:
    """One dictum of *MEMUTUSKAN*: KESATU, KEDUA, ..."""

    label: str
    text: str


@dataclass(frozen=True)
class Initial:
    """One row of the *paraf hierarki* table: who initialled the draft, in order."""

    order: int
    position: str


@dataclass(frozen=True)
class Attachment:
    """A *Lampiran* as headed in the decree: label, number and date exactly as written."""

    title: str
    label: str | None = None
    number: str | None = None
    #: As written ("09 Januari 2024"), because attachments sometimes disagree with the decree.
    date: str | None = None
    #: Which part of the file holds its content: "policy", "souvenir_tiers" or "other".
    contains: str | None = None
    initials: tuple[Initial, ...] = ()


@dataclass(frozen=True)
class EnactedRow:
    """A table row's wording as enacted, kept beside the structured rule it became."""

    table: str
    code: str
    text: str


@dataclass(frozen=True)
class DecreeSpec:
    """The *Keputusan* itself: every clause, kept as enacted, for display and for the record.

    The four keys every decree has are attributes; every declared key is also ``spec[key]``.
    """

    number: str
    title: Text
    enacted_at: date
    effective_from: date
    #: The other keys of ``DECREE_FIELDS`` the file gives, as read; a key left out reads as empty.
    clauses: Mapping[str, Any] = dataclass_field(default_factory=dict, hash=False)
    #: The rows of the rules' tables as enacted (from ``[[components]]`` and ``[[souvenir_tiers]]``).
    enacted_rows: tuple[EnactedRow, ...] = ()

    def __getitem__(self, key: str) -> Any:
        if key in _ATTRIBUTES:
            return getattr(self, key)
        return self.clauses.get(key, FIELDS_BY_KEY[key].empty)

    def record(self) -> dict[str, Any]:
        """Every declared key with its value, and the enacted rows: what the decree says."""
        return {**{field.key: self[field.key] for field in DECREE_FIELDS}, "enacted_rows": self.enacted_rows}


_ATTRIBUTES = ("number", "title", "enacted_at", "effective_from")


TENANT_KEYS = (
    "slug", "name", "region", "timezone", "address", "phone", "fax", "website", "email", "postal_code",
    "brand_color", "default_locale", "letterhead",
)


def read_tenant(reader: Reader, value: object) -> TenantSpec | None:
    """The ``[tenant]`` table, or None when a required part is missing or wrong."""
    path = "tenant"
    table = reader.table(value, path, TENANT_KEYS)
    if table is None:
        return None
    slug = reader.string(table, path, "slug", required=True)
    if slug is not None:
        slug = _check_slug(reader, join(path, "slug"), slug, reserved=True)
    name = reader.text(table, path, "name", required=True)
    region = _read_region(reader, table, path)
    timezone = reader.string(table, path, "timezone", required=True)
    if timezone is not None and not _is_zone(timezone):
        reader.error(join(path, "timezone"), _("unknown time zone (write e.g. Asia/Jakarta)"))
        timezone = None
    optional = {
        name: reader.string(table, path, name)
        for name in ("address", "phone", "fax", "website", "email", "postal_code")
    }
    _check_contacts(reader, path, optional)
    brand_color = reader.string(
        table, path, "brand_color", pattern=BRAND_COLOR, explain=_("must be a colour like #0b5394")
    )
    if brand_color is not None and (ratio := _contrast_with_white(brand_color)) < MIN_CONTRAST:
        reader.warn(
            join(path, "brand_color"),
            _("too light for white text: contrast %(ratio)s, needs %(needed)s", ratio=i18n.ratio(ratio),
              needed=i18n.ratio(MIN_CONTRAST)),
        )
    locale = reader.choice(table, path, "default_locale", LOCALES, default="id")
    letterhead = _read_letterhead(reader, table, path)
    if slug is None or name is None or region is None or timezone is None or locale is None:
        return None
    return TenantSpec(
        slug=slug,
        name=name,
        region=region,
        timezone=timezone,
        brand_color=brand_color,
        default_locale=locale,
        letterhead=letterhead,
        **optional,
    )


def read_decree(reader: Reader, value: object) -> DecreeSpec | None:
    """The ``[decree]`` table, or None when a required part is missing or wrong."""
    path = "decree"
    table = reader.table(value, path, DECREE_KEYS)
    if table is None:
        return None
    values = {field.key: _READERS[field.kind](reader, table, path, field) for field in DECREE_FIELDS}
    # "berlaku sejak tanggal ditetapkan" in both seeds: in force from the day it was enacted.
    values["effective_from"] = values["effective_from"] or values["enacted_at"]
    number, title, enacted_at, effective_from = (values.pop(key) for key in _ATTRIBUTES)
    if number is None or title is None or enacted_at is None or effective_from is None:
        return None
    clauses = {key: value for key, value in values.items() if value != FIELDS_BY_KEY[key].empty}
    return DecreeSpec(number=number, title=title, enacted_at=enacted_at, effective_from=effective_from,
                      clauses=clauses)


def _read_string(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> str | None:
    return reader.string(table, path, field.key, required=field.required, longest=field.longest)


def _read_date(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> date | None:
    return reader.date_value(table, path, field.key, required=field.required)


def _read_text(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> Text | None:
    return reader.text(table, path, field.key, required=field.required)


def _read_lines(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> tuple[str, ...]:
    return reader.strings(table, path, field.key, required=field.required) or ()


def _check_slug(reader: Reader, key: str, slug: str, reserved: bool) -> str | None:
    if not SLUG.fullmatch(slug) or len(slug) > 63:
        reader.error(
            key, _("must be lowercase letters, digits and single hyphens, e.g. dinsos-lampung")
        )
        return None
    if reserved and slug in RESERVED_SLUGS:
        reader.error(key, _("%(slug)s is reserved by the platform", slug=repr(slug)))
        return None
    return slug


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_contacts(reader: Reader, path: str, contacts: dict[str, str | None]) -> None:
    """Catch the common slips; contact lines are otherwise free text, as letterheads print them."""
    website, email, postal_code = contacts["website"], contacts["email"], contacts["postal_code"]
    if website is not None and not re.fullmatch(r"https?://\S+", website):
        reader.error(join(path, "website"), _("must start with http:// or https://"))
        contacts["website"] = None
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        reader.error(join(path, "email"), _("not an e-mail address"))
        contacts["email"] = None
    if postal_code is not None and not re.fullmatch(r"\d{5}", postal_code):
        reader.error(join(path, "postal_code"), _("must be five digits"))
        contacts["postal_code"] = None


def _contrast_with_white(color: str) -> float:
    """WCAG 2 contrast ratio between ``#rrggbb`` and white."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(color[index : index + 2]) for index in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def _read_region(reader: Reader, table: dict[str, Any], path: str) -> RegionSpec | None:
    key = join(path, "region")
    value = reader.raw(table, path, "region", required=True)
    found = None if value is None else reader.table(value, key, ("slug", "name", "parent"))
    if found is None:
        return None
    slug = reader.string(found, key, "slug", required=True)
    if slug is not None:
        slug = _check_slug(reader, join(key, "slug"), slug, reserved=False)
    name = reader.string(found, key, "name", required=True)
    parent = reader.string(found, key, "parent")
    if parent is not None:
        parent = _check_slug(reader, join(key, "parent"), parent, reserved=False)
        if parent is not None and parent == slug:
            reader.error(join(key, "parent"), _("a region cannot be its own parent"))
            parent = None
    if slug is None or name is None:
        return None
    return RegionSpec(slug=slug, name=name, parent=parent)


def _read_letterhead(reader: Reader, table: dict[str, Any], path: str) -> Letterhead | None:
    key = join(path, "letterhead")
    value = reader.raw(table, path, "letterhead", required=False)
    found = None if value is None else reader.table(value, key, ("header", "office", "lines"))
    if found is None:
        return None
    return Letterhead(
        header=reader.text(found, key, "header"),
        office=reader.text(found, key, "office"),
        lines=reader.strings(found, key, "lines") or (),
    )


def _read_signer(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> Signer | None:
    key = join(path, field.key)
    value = reader.raw(table, path, field.key, required=field.required)
    found = None if value is None else reader.table(value, key, tuple(part for part, *_labels in SIGNER_PARTS))
    if found is None:
        return None
    name = reader.string(found, key, "name", required=True)
    nip = reader.string(found, key, "nip")
    # A civil servant's NIP has 18 digits, printed in groups: "19670512 200003 1 009".
    if nip is not None and not re.fullmatch(r"\d{18}", nip.replace(" ", "")):
        reader.error(join(key, "nip"), _("a NIP has 18 digits"))
    if name is None:
        return None
    return Signer(
        name=name,
        position=reader.string(found, key, "position"),
        rank=reader.string(found, key, "rank"),
        nip=nip,
    )


def _read_decisions(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> tuple[Decision, ...]:
    decisions = []
    for key, found in reader.tables(table, path, field.key, ("label", "text")):
        label = reader.string(found, key, "label", required=True)
        text = reader.string(found, key, "text", required=True)
        if label is not None and text is not None:
            decisions.append(Decision(label, text))
    return tuple(decisions)


def _read_initials(reader: Reader, table: dict[str, Any], path: str, name: str = "initials") -> tuple[Initial, ...]:
    rows = []
    orders: set[int] = set()
    for key, found in reader.tables(table, path, name, ("order", "position")):
        order = reader.integer(found, key, "order", required=True, minimum=1)
        position = reader.string(found, key, "position", required=True)
        if order is not None and order in orders:
            reader.error(join(key, "order"), _("duplicate order %(order)d", order=order))
        elif order is not None and position is not None:
            orders.add(order)
            rows.append(Initial(order, position))
    return tuple(rows)


def _read_attachments(reader: Reader, table: dict[str, Any], path: str, field: DecreeField) -> tuple[Attachment, ...]:
    known = ("title", "label", "number", "date", "contains", "initials")
    attachments = []
    for key, found in reader.tables(table, path, field.key, known):
        title = reader.string(found, key, "title", required=True)
        contains = reader.choice(found, key, "contains", ATTACHMENT_CONTENTS, default=None)
        attachment = Attachment(
            title=title or "",
            label=reader.string(found, key, "label"),
            number=reader.string(found, key, "number"),
            date=reader.string(found, key, "date"),
            contains=contains,
            initials=_read_initials(reader, found, key),
        )
        if title is not None:
            attachments.append(attachment)
    return tuple(attachments)


#: How each kind of ``DecreeField`` is read from the ``[decree]`` table.
_READERS: dict[str, Callable[[Reader, dict[str, Any], str, DecreeField], Any]] = {
    "line": _read_string,
    "paragraph": _read_string,
    "date": _read_date,
    "text": _read_text,
    "lines": _read_lines,
    "signer": _read_signer,
    "decisions": _read_decisions,
    "initials": lambda reader, table, path, field: _read_initials(reader, table, path, field.key),
    "attachments": _read_attachments,
}
