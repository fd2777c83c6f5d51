"""The dashboard's tables as rows, one definition used by the page, CSV and XLSX alike.

Every export writes its cells through ``csv_cell`` and ``xlsx_cells``: unit, officer and decree
texts are typed by staff, and a spreadsheet would run one that starts like a formula
(``=HYPERLINK(...)`` sending the sheet's cells away). Text stays text; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
            percent(key.on_time_rate), key.median_hours, key.rating]


def key_header() -> list[str]:
    return [_("Received"), _("Open"), _("Overdue"), _("Upheld"), _("Not upheld"), _("Compensated"),
            _("On time"), _("On-time rate"), _("Median hours to compensation"), _("Average rating")]


def office_tables(board: Dashboard, names: dict[str, Callable[[Any], str]]) -> dict[str, Table]:
    """``names`` turns codes and ids into words: component, unit, officer, sanction, kind, decree."""
    return {table.name: table for table in (
        Table("key", _("Key figures"), key_header(), [key_row(board.key)]),
        Table("components", _("By component"), [_("Component"), _("Complaints"), _("Upheld")],
              [[names["component"](code), counts.complaints, counts.upheld] for code, counts in board.by_component.items()]),
        Table("units", _("By service unit"), [_("Unit"), _("Complaints"), _("Upheld"), _("Overdue")],
              [[names["unit"](unit), *counts] for unit, counts in board.by_unit.items()]),
        Table("officers", _("Upheld complaints by responsible officer"), [_("Officer"), _("Upheld")],
              [[names["officer"](officer), count] for officer, count in board.by_officer.items()]),
        Table("months", _("By month"), [_("Month"), _("Received"), _("Upheld"), _("Compensated"), _("On time"),
                                        _("Median hours to compensation")],
              [[month, *counts] for month, counts in board.by_month.items()]),
        Table("items", _("Compensation items"), [_("Kind"), _("Owed"), _("Delivered")],
              [[names["kind"](kind), owed, done] for kind, (owed, done) in board.items.items()]),
        Table("souvenirs", _("Souvenirs delivered by category"), [_("Category"), _("Delivered")],
              [[tier, count] for tier, count in sorted(board.souvenirs.items())]),
        Table("sanctions", _("Sanctions in force by type"), [_("Sanction"), _("Count")],
              [[names["sanction"](code), count] for code, count in board.sanctions.items()]),
        Table("ratings", _("Citizens' ratings"), [_("Rating"), _("Count")],
              [[rating, board.ratings.get(rating, 0)] for rating in range(5, 0, -1)]),
        Table("decrees", _("Complaints by the decree they were judged under"), [_("Decree"), _("Version"), _("Complaints")],
              [[names["decree"](decree_id), names["decree_version"](decree_id), count]
               for decree_id, count in sorted(board.by_decree.items(),
                                              key=lambda item: names["decree_version"](item[0]) or 0)]),
    )}


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"); tab and
#: carriage return because some programs drop them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """A bilingual text in the reader's language; anything else as it is."""
    return localized(value) if isinstance(value, dict) else value


def csv_cell(value: Any) -> Any:
    """A text that would start a formula gets a leading apostrophe, which spreadsheets show
    as text; numbers and empty cells are left alone."""
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cells(sheet: Worksheet | WriteOnlyWorksheet, row: Sequence[Any]) -> list[Any]:
    """The row as cells in which every text is a string, never a formula: openpyxl reads a
    text starting with ``=`` as one unless its type is set."""
    cells: list[Any] = []
    for value in row:
        value = _plain(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in table.header])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode()  # with a BOM, so spreadsheet programs read UTF-8


def as_xlsx(tables: Sequence[Table]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet every new workbook starts with
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(xlsx_cells(sheet, table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(xlsx_cells(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
