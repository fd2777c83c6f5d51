"""The app as gunicorn serves it in production (``tanggap.wsgi``: built, then its heap
settled), plus one bare endpoint for the load test's baseline: the same server, the same
middleware, one indexed SELECT and nothing else."""

from __future__ import annotations

import os

from sqlalchemy import select

from tanggap import create_app, heap
from tanggap.complaints.models import Complaint
from tanggap.database import across_offices
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office

app = create_app()
TENANT_ID, NUMBER = int(os.environ["BENCH_BARE_TENANT"]), os.environ["BENCH_BARE_NUMBER"]


@app.get("/_bench/bare")
def bare() -> tuple[str, int]:
    # Through the cross-office role's connection: the office role sees no row until an office
    # is declared, and declaring one would be a second statement.
    with across_offices():
        found = db.session.execute(
            every_office(select(Complaint.id).where(Complaint.tenant_id == TENANT_ID, Complaint.number == NUMBER))).first()
    return ("ok", 200) if found else ("missing", 500)


heap.settle()  # as tanggap.wsgi does for every production worker, once the app is built
