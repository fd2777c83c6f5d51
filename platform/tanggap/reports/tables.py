"""The dashboard's tables as rows, one definition used by the page, CSV and XLSX alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..i18n import localized
from .figures import Dashboard, KeyFigures


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def key_row(key: KeyFigures) -> list[Any]:
    return [key.received, key.open, key.overdue, key.upheld, key.rejected, key.compensated, key.on_time,
            percent(key.on_time_rate), None if key.median_hours is None else round(key.median_hours, 1),
            None if key.rating is None else round(key.rating, 2)]


def key_header() -> list[str]:
    return [_("Received"), _("Open"), _("Overdue"), _("Upheld"), _("Not upheld"), _("Compensated"),
            _("On time"), _("On-time rate"), _("Median hours to compensation"), _("Average rating")]


def office_tables(board: Dashboard, names: dict[str, Callable[[Any], str]]) -> dict[str, Table]:
    """``names`` turns codes and ids into words: component, unit, officer, sanction, kind."""
    return {table.name: table for table in (
        Table("key", _("Key figures"), key_header(), [key_row(board.key)]),
        Table("components", _("By component"), [_("Component"), _("Complaints"), _("Upheld")],
              [[names["component"](code), claimed, upheld] for code, (claimed, upheld) in board.by_component.items()]),
        Table("units", _("By service unit"), [_("Unit"), _("Complaints"), _("Upheld"), _("Overdue")],
              [[names["unit"](unit), *counts] for unit, counts in board.by_unit.items()]),
        Table("officers", _("Upheld complaints by responsible officer"), [_("Officer"), _("Upheld")],
              [[names["officer"](officer), count] for officer, count in board.by_officer.items()]),
        Table("months", _("By month"), [_("Month"), _("Received"), _("Upheld"), _("Compensated"), _("On time")],
              [[month, *counts] for month, counts in board.by_month.items()]),
        Table("items", _("Compensation items"), [_("Kind"), _("Owed"), _("Delivered")],
              [[names["kind"](kind), owed, done] for kind, (owed, done) in board.items.items()]),
        Table("souvenirs", _("Souvenirs delivered by category"), [_("Category"), _("Delivered")],
              [[tier, count] for tier, count in sorted(board.souvenirs.items())]),
        Table("sanctions", _("Sanctions in force by type"), [_("Sanction"), _("Count")],
              [[names["sanction"](code), count] for code, count in board.sanctions.items()]),
        Table("ratings", _("Citizens' ratings"), [_("Rating"), _("Count")],
              [[rating, board.ratings.get(rating, 0)] for rating in range(5, 0, -1)]),
    )}


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return ("\ufeff" + buffer.getvalue()).encode()  # with a BOM, so spreadsheet programs read UTF-8


def as_xlsx(tables: Sequence[Table]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet every new workbook starts with
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([localized(value) if isinstance(value, dict) else value for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
