"""The deadline sweep at scale: its cost follows the complaints due, not all complaints.

Builds a database of its own on PostgreSQL (dropped afterwards), loads the two shipped
offices, bulk-loads N complaints of which 1% have an alert due, then, side by side in one
run, times:

  select  a plain indexed SELECT of the due rows (``next_alert_at <= now``)
  sweep   the real sweep over the same rows (alerts recorded; each office's leader told in
          the app and by e-mail through the outbox; the next point set)
  insert  the rows the sweep wrote (alerts, bells, outbox messages), deleted and written
          again by plain batched INSERTs of 500: the floor of what writing them costs

and repeats with ten times fewer complaints but the same number due, to show the sweep's
time does not grow with the table. Reports ratios, and absolute times for this machine.

    .venv/bin/python bench/sweep.py --complaints 1000000
    (needs TEST_DATABASE_URL or BENCH_DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

from harness import ROOT, arguments  # first: puts the package on the path

from sqlalchemy import insert, select, text

from tanggap import clock, heap
from tanggap.alerts.models import DeadlineAlert
from tanggap.alerts.sweep import sweep
from tanggap.notifications.models import OutboxMessage, StaffNotification
from tanggap.complaints.models import Complaint
from tanggap.decrees.models import Decree
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tests.throwaway import throwaway_app
from tanggap.tenancy.scoping import every_office

COLUMNS = ("tenant_id", "number", "tracking_code", "status", "decree_id", "submitted_at", "due_at", "locale",
           "components", "description", "occurred_on", "name", "email", "consent_at", "submission_key",
           "updated_at", "next_alert_at")


def load(app, total: int, due: int, now: datetime) -> None:
    """COPY ``total`` complaints in; ``due`` of them have their deadline passed and an alert due."""
    with app.app_context():
        offices = db.session.execute(
            every_office(select(Tenant.id, Decree.id).join(Decree, Decree.tenant_id == Tenant.id))).all()
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor, cursor.copy(f"COPY complaint ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                step = max(1, total // due)
                for index in range(total):
                    tenant_id, decree_id = offices[index % len(offices)]
                    is_due = index % step == 0 and index // step < due
                    submitted = now - timedelta(days=4) if is_due else now - timedelta(days=400 - index % 300)
                    status = "submitted" if is_due else ("closed" if index % 10 else "in_assessment")
                    next_alert = (submitted if is_due else (now + timedelta(hours=1 + index % 47) if status != "closed" else None))
                    copy.write_row((
                        tenant_id, f"BENCH-{index:08d}", uuid.uuid4().hex[:14].upper(), status, decree_id, submitted,
                        submitted + timedelta(hours=72), "id", '["time"]', "Keterlambatan layanan.",
                        submitted.date(), "Warga", f"warga{index}@example.org", submitted, uuid.uuid4().hex,
                        submitted, next_alert))
            raw.commit()
        finally:
            raw.close()
        db.session.execute(text("ANALYZE complaint"))
        db.session.commit()


def measure(app, now: datetime) -> tuple[float, float, float, int]:
    with app.app_context():
        started = time.perf_counter()
        rows = db.session.execute(
            every_office(select(Complaint.id).where(Complaint.next_alert_at <= now))).all()
        plain = time.perf_counter() - started
        db.session.rollback()
        started = time.perf_counter()
        result = sweep(now=now)
        swept = time.perf_counter() - started
        assert result.complaints == len(rows), (result, len(rows))
        return plain, swept, rewrite(), len(rows)


def rewrite() -> float:
    """The sweep's own rows, deleted and written again by plain batched INSERTs; seconds."""
    written = [(DeadlineAlert.__table__, None), (StaffNotification.__table__, StaffNotification.key),
               (OutboxMessage.__table__, OutboxMessage.key)]
    connection = db.session.connection()
    kept = {}
    for table, key in written:
        chosen = select(table) if key is None else select(table).where(key.like("alert:%"))
        kept[table] = [dict(row._mapping) for row in connection.execute(chosen)]
        connection.execute(table.delete().where(table.c.id.in_([row["id"] for row in kept[table]])))
    db.session.commit()
    connection = db.session.connection()
    started = time.perf_counter()
    for table, _key in written:
        for first in range(0, len(kept[table]), 500):
            connection.execute(insert(table), kept[table][first:first + 500])
    db.session.commit()
    return time.perf_counter() - started


def run(base_url: str, total: int) -> tuple[float, float, float, int]:
    with throwaway_app(base_url) as app:
        runner = app.test_cli_runner()
        assert runner.invoke(args=["tenants", "load", str(ROOT / "tenants")]).exit_code == 0
        assert runner.invoke(args=["demo"]).exit_code == 0  # leaders to tell, as in a live office
        now = clock.now()
        started = time.perf_counter()
        load(app, total, total // 100, now)
        print(f"  loaded {total:,} complaints in {time.perf_counter() - started:.1f} s", flush=True)
        heap.settle()  # as the job worker does once it has built its app (jobs.AppWorker)
        return measure(app, now)


def main() -> None:
    complaints, base = arguments(__doc__)
    results = {}
    for total in (complaints // 10, complaints):
        print(f"{total:,} complaints, 1% of them due:", flush=True)
        results[total] = run(base, total)
        plain, swept, raw, rows = results[total]
        print(f"  plain indexed SELECT of the {rows:,} due rows: {plain * 1000:.1f} ms")
        print(f"  sweep of the same rows (alerts recorded, people told): {swept * 1000:.0f} ms "
              f"= {swept / plain:.0f} x the SELECT, {swept / rows * 1000:.2f} ms per due complaint")
        print(f"  the sweep's rows written again by plain batched INSERTs: {raw * 1000:.0f} ms; "
              f"the sweep = {swept / raw:.1f} x that", flush=True)
    small, large = (results[t] for t in sorted(results))
    print(f"sweep time, ten times the complaints and ten times the due: {large[1] / small[1]:.1f} x")
    print(f"sweep time per due complaint, large / small table: {(large[1] / large[3]) / (small[1] / small[3]):.2f} x")


if __name__ == "__main__":
    main()
