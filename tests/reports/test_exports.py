"""The complaints export runs as a job: the page shows its progress and, when done, the download."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook


def test_a_big_export_runs_as_a_job_and_its_owner_downloads_it(make, new_visitor, app):
    office = make.office_with_staff("dinas-alpha")
    for _ in range(3):
        make.complaint(office)
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.get("/locale/en")
    started = leader.submit("/dinas-alpha/staff/reports/exports", {}, page="/dinas-alpha/staff/reports/",
                            headers={"HX-Request": "true"})
    assert started.status_code == 200
    fragment = started.get_data(as_text=True)
    assert "<html" not in fragment and 'id="export"' in fragment
    assert "The export is ready: 3 complaints." in fragment  # inline here: done by the time it answers
    link = re.search(r'href="([^"]+/file)"', fragment).group(1)
    download = leader.get(link)
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.values)
    assert rows[0][0] == "number" and len(rows) == 4
    assert all("@" not in str(cell) for row in rows for cell in row)  # no contact details leave the app

    colleague = new_visitor()
    colleague.login(office.admin.email)
    assert colleague.get(link).status_code == 403  # only the person who asked


def test_the_progress_page_polls_until_done(make, new_visitor, ctx):
    from sqlalchemy import select

    from tanggap.extensions import db
    from tanggap.reports.models import Export
    from tanggap.tenancy.scoping import every_office

    office = make.office_with_staff("dinas-alpha")
    export_id = make.export(office)
    with ctx():
        export = db.session.execute(every_office(select(Export).where(Export.id == export_id))).scalar_one()
        export.status, export.rows, export.total = "running", 2000, 8000
        db.session.commit()
    leader = new_visitor()
    leader.login(office.leader.email)
    page = leader.get(f"/dinas-alpha/staff/reports/exports/{export_id}").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="25"' in page
