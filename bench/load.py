"""Load on the real stack: gunicorn with production settings on PostgreSQL (behind row-level
security, as the app's own role) and Redis, with 50 offices and a million complaints, driven
by locust for a bounded time from 127.0.0.1.

Side by side in one run, against one server:

  bare     a bare endpoint doing one indexed SELECT (the baseline: same server, same middleware)
  citizen  citizens fetching the public form (for its CSRF token) and filing it
  leader   leaders paging their inbox (the open tab; all of one component, newest first, page 3)

then the baseline again, to show the machine did not drift. Reports requests per second
and p50/p95/p99 per request, as ratios to the baseline and in milliseconds for this
machine, counts every accepted filing in the database afterwards, and checks there were
no errors.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/load.py --complaints 1000000 --tenants 50 --users 8 --seconds 40
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from harness import ROOT, database_url, grant_roles, serve_until_up, stop  # first: puts the package on the path

from sqlalchemy import select, text

from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tests.notifications.conftest import free_port
from tests.throwaway import throwaway_app
from tanggap.tenancy.scoping import every_office

APP_ROLE = "tanggap_bench_app"
CROSS_ROLE = "tanggap_bench_cross"
PASSWORD = "bench-password"
REDIS_DB = 9
TARGETS = {"form POST": 150.0, "inbox (open)": 200.0}
SCENARIOS = (("bare", "BareUser"), ("citizen", "CitizenUser"), ("leader", "LeaderUser"), ("bare again", "BareUser"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--users", default="4,8", help="concurrent locust users per scenario, one run per number")
    parser.add_argument("--seconds", type=int, default=40, help="length of each scenario")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    base = database_url()

    with throwaway_app(base) as owner, TemporaryDirectory() as scratch:
        started = time.perf_counter()
        setting = prepare(owner, args)
        print(f"loaded {args.complaints:,} complaints in {args.tenants} offices in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        url = owner.config["SQLALCHEMY_DATABASE_URI"]
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        app_url = plain.replace("://postgres@", f"://{APP_ROLE}@", 1)
        cross_url = plain.replace("://postgres@", f"://{CROSS_ROLE}@", 1)
        server, port = serve(app_url, cross_url, setting, args.workers, Path(scratch))
        try:
            runs: dict[int, dict[str, list[dict[str, str]]]] = {}
            for users in (int(n) for n in args.users.split(",")):
                runs[users] = {}
                for scenario, user in SCENARIOS:
                    prefix = Path(scratch) / f"{scenario.replace(' ', '_')}_{users}"
                    runs[users][scenario] = drive(user, port, setting, args, users, prefix)
        finally:
            stop(server)
        seen = set((Path(scratch) / "accepted.txt").read_text().split()) if (Path(scratch) / "accepted.txt").exists() \
            else set()
        with owner.app_context():
            stored = set(db.session.execute(every_office(select(Complaint.tracking_code).where(
                Complaint.description.like("BENCH-LOAD%")))).scalars())
            db.engine.dispose()
    failed = False
    for users, results in runs.items():
        print(f"\n## {users} concurrent users")
        failed |= report(results)
    lost = seen - stored
    print(f"\nfilings answered 303 (tracking codes received): {len(seen):,}; in the database afterwards: "
          f"{len(stored):,}; received but missing: {len(lost)}")
    if failed or lost or not seen:
        sys.exit(1)


def prepare(owner, args) -> dict[str, str]:
    """Offices, a million complaints, the app's role; what the locust users need to know."""
    runner = owner.test_cli_runner()
    for command in (["tenants", "load", str(ROOT / "tenants")],
                    ["demo", "--password", PASSWORD, "--complaints", str(args.complaints), "--tenants",
                     str(args.tenants)]):
        result = runner.invoke(args=command)
        if result.exit_code:
            sys.exit(result.output)
    with owner.app_context():
        with db.engine.begin() as connection:
            grant_roles(connection, APP_ROLE, CROSS_ROLE)
        # What autovacuum would have done after the bulk load: statistics, and a visibility map
        # so that counts can be answered from indexes.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        slugs = db.session.execute(every_office(select(Tenant.slug))).scalars().all()
        generated = [slug for slug in slugs if slug not in ("disdikbud-metro", "dinsos-lampung")]
        tenant_id, number = db.session.execute(
            every_office(select(Complaint.tenant_id, Complaint.number).order_by(Complaint.id.desc()).limit(1))).one()
        db.session.rollback()
    return {"BENCH_OFFICES": ",".join(slugs), "BENCH_LEADERS": ",".join(f"leader.{s}@tanggap.demo" for s in generated),
            "BENCH_PASSWORD": PASSWORD, "BENCH_BARE_TENANT": str(tenant_id), "BENCH_BARE_NUMBER": number}


def serve(database_url: str, cross_url: str, setting: dict[str, str], workers: int, scratch: Path,
          redis_url: str = f"redis://127.0.0.1:6379/{REDIS_DB}") -> tuple[subprocess.Popen, int]:
    """gunicorn as the Procfile runs it, in production mode, behind one (pretend) TLS proxy.

    Without gunicorn's control socket: its default path is one per user, so a second server
    (another benchmark's) would take it over."""
    port = free_port()
    env = {**os.environ, **setting, "TANGGAP_ENV": "production", "SECRET_KEY": "bench-secret-key-" + "x" * 32,
           "DATABASE_URL": database_url, "TANGGAP_CROSS_DATABASE_URL": cross_url,
           "TANGGAP_AUDIT_KEY": "bench-audit-key-" + "x" * 32, "REDIS_URL": redis_url,
           "TANGGAP_PROXY_COUNT": "1", "TANGGAP_INSTANCE_PATH": str(scratch),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT / "bench")])}
    server = serve_until_up(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--forwarded-allow-ips=*", "--log-level", "warning", "--no-control-socket", "bench_wsgi:app"],
        cwd=ROOT, env=env, probe=f"http://127.0.0.1:{port}/_bench/bare", name="gunicorn")
    return server, port


def drive(user: str, port: int, setting: dict[str, str], args, users: int, prefix: Path) -> list[dict[str, str]]:
    subprocess.run(
        [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), user,
         "--headless", "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{args.seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR",
         "--stop-timeout", "30"],  # let every user finish the request it is in: each filing is counted
        env={**os.environ, **setting, "BENCH_ACCEPTED": str(prefix.parent / "accepted.txt")}, check=False,
        stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]


def report(results: dict[str, list[dict[str, str]]]) -> bool:
    """One concurrency's table and verdicts; True when there were errors."""
    baseline = results["bare"][0]
    base_rps, base_p95 = float(baseline["Requests/s"]), float(baseline["95%"])
    print("\n| scenario | request | requests | errors | req/s | x bare req/s | p50 ms | p95 ms | p99 ms | x bare p95 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    errors = 0
    for scenario, rows in results.items():
        for row in rows:
            errors += int(row["Failure Count"])
            print(f"| {scenario} | {row['Name']} | {int(row['Request Count']):,} | {row['Failure Count']} | "
                  f"{float(row['Requests/s']):.1f} | {float(row['Requests/s']) / base_rps:.2f} | {row['50%']} | "
                  f"{row['95%']} | {row['99%']} | {float(row['95%']) / base_p95:.1f} |")
    print(f"\nerrors: {errors}")
    for name, target in TARGETS.items():
        row = next((r for rows in results.values() for r in rows if r["Name"] == name), None)
        if row:
            verdict = "met" if float(row["95%"]) < target else "MISSED"
            print(f"target {name} p95 < {target:.0f} ms: {row['95%']} ms, {verdict}")
    submitted = next(r for r in results["citizen"] if r["Name"] == "form POST")
    share = float(submitted["Requests/s"]) / base_rps
    print(f"target filing throughput >= 40% of bare: {share:.0%}, {'met' if share >= 0.4 else 'MISSED'}")
    return errors > 0


if __name__ == "__main__":
    main()
