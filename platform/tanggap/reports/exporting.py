"""The complaints export of a period, built as a job: progress is written as it goes, so the
page can show it, and the file lands in the platform's file store (``filestore``), where the
web host that serves its owner's download reads what the worker host wrote.

It carries no contact details: an export is for analysis, and personal data stays in the
application (UU 27/2022).
"""

from __future__ import annotations

import tempfile

from openpyxl import Workbook
from sqlalchemy import func, select

from ..complaints.models import Complaint
from ..decrees.models import Decree
from .. import clock, filestore
from ..database import commit_progress, discard
from ..extensions import db
from ..jobs import app_context, enqueue
from ..tenancy.context import bound_to
from ..tenancy.models import Tenant
from ..tenancy.scoping import every_office
from .models import Export
from .period import Period
from .tables import xlsx_cells

BATCH = 2000
#: ``decree`` and ``decree_version``: the version each complaint was judged under (in force when
#: it was filed), which a later publication, backdated or not, never changes.
HEADER = ["number", "filed", "status", "components", "unit_id", "due", "compensated", "on_time", "rating",
          "decree", "decree_version"]


def key_of(export: Export) -> str:
    """The workbook's key in the file store."""
    return f"exports/{export.id}.xlsx"


def start(tenant: Tenant, user_id: int, period: Period) -> Export:
    export = Export(tenant_id=tenant.id, user_id=user_id, start=period.start, end=period.end)
    db.session.add(export)
    commit_progress()  # inline, the job reads the row in a session of its own
    enqueue(build, export.id, queue_name="reports", timeout=1800)
    db.session.refresh(export)  # inline, the job has already run in a session of its own
    return export


def build(export_id: str) -> None:
    """The job: write every complaint of the period, batch by batch, noting the progress."""
    with app_context():
        export = db.session.execute(every_office(select(Export).where(Export.id == export_id))).scalar_one()
        tenant = db.session.get_one(Tenant, export.tenant_id)
        with bound_to(tenant):
            try:
                _write(export, Period(export.start, export.end, tenant.timezone))
            except Exception as error:
                discard()
                export.status, export.error = "failed", f"{type(error).__name__}: {error}"[:2000]
                commit_progress()  # the page shows the failure; the job still raises
                raise


def _write(export: Export, period: Period) -> None:
    begin, end = period.bounds
    chosen = (Complaint.submitted_at >= begin, Complaint.submitted_at < end)
    export.total = db.session.execute(select(func.count(Complaint.id)).where(*chosen)).scalar_one()
    export.status = "running"
    commit_progress()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("complaints")
    sheet.append(xlsx_cells(sheet, HEADER))
    last_id = 0
    while True:
        rows = db.session.execute(
            select(Complaint.id, Complaint.number, Complaint.submitted_at, Complaint.status, Complaint.components,
                   Complaint.unit_id, Complaint.due_at, Complaint.compensated_at, Complaint.rating,
                   Decree.number.label("decree"), Decree.version.label("decree_version"))
            .join(Decree, Decree.id == Complaint.decree_id)
            .where(*chosen, Complaint.id > last_id).order_by(Complaint.id).limit(BATCH)
        ).all()
        for row in rows:
            on_time = None if row.compensated_at is None else row.compensated_at <= row.due_at
            sheet.append(xlsx_cells(sheet, [row.number, row.submitted_at.replace(tzinfo=None), row.status.value, ",".join(row.components or []),
                          row.unit_id, row.due_at.replace(tzinfo=None),
                          row.compensated_at.replace(tzinfo=None) if row.compensated_at else None, on_time, row.rating,
                          row.decree, row.decree_version]))
        export.rows += len(rows)
        commit_progress()  # the page's progress bar
        if len(rows) < BATCH:
            break
        last_id = rows[-1].id
    with tempfile.TemporaryFile() as workbook:  # on the worker's own disk until it is whole
        book.save(workbook)
        workbook.seek(0)
        filestore.current().put(key_of(export), workbook)
    export.status, export.finished_at = "done", clock.now()
