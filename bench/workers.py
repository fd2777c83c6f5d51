"""Web workers as production replaces them: gunicorn with the shipped settings
(``deploy/gunicorn.conf.py``: the app built once in the master, each worker forked from it
and replaced after about 1,000 requests) against the same settings with each worker
building the app itself, under the same filing load, interleaved.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/workers.py --complaints 100000 --rounds 2 --seconds 40

Citizens file the public form (bench/locustfile.py's CitizenUser, 8 users) against one
office of N complaints, as the app's role behind row-level security with Redis. Reported
per run: filings per second, POST p50/p95, and CPU per filing of the whole server, the
master and every worker it ever had, the replaced ones included (their time is in the
master's ``cutime``/``cstime`` once it has reaped them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from harness import ROOT, database_url, serve_until_up, stop  # first: puts the package on the path

import load
from tests.notifications.conftest import free_port
from tests.throwaway import throwaway_app

SHIPPED = ROOT / "deploy" / "gunicorn.conf.py"
#: The shipped settings with each worker building the app itself, as gunicorn does without preloading.
BUILDING = f"""exec(compile(open({str(SHIPPED)!r}).read(), {str(SHIPPED)!r}, "exec"))
preload_app = False
del when_ready  # it would build the app in the master, which is preloading by another name
"""
TICKS = os.sysconf("SC_CLK_TCK")


def server_seconds(master: int) -> float:
    """CPU seconds of the master, its reaped workers and its live ones."""
    fields = Path(f"/proc/{master}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        try:
            worker = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # replaced between the two reads: reaped, so counted in cutime next time
        ticks += int(worker[11]) + int(worker[12])
    return ticks / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of both settings")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()
    load_args = argparse.Namespace(complaints=args.complaints, tenants=1, seconds=args.seconds)
    results: dict[str, list[dict[str, float]]] = {"shipped (forked from the master)": [],
                                                  "each worker builds the app": []}
    with throwaway_app(database_url()) as owner, TemporaryDirectory() as scratch:
        setting = load.prepare(owner, load_args)
        building = Path(scratch) / "building.conf.py"
        building.write_text(BUILDING)
        url = owner.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://", 1)
        for round_ in range(args.rounds):
            for (label, runs), config in zip(results.items(), (SHIPPED, building), strict=True):
                port = free_port()
                env = {**os.environ, **setting, "TANGGAP_ENV": "production",
                       "SECRET_KEY": "bench-secret-key-" + "x" * 32, "TANGGAP_AUDIT_KEY": "bench-audit-key-" + "x" * 32,
                       "DATABASE_URL": url.replace("://postgres@", f"://{load.APP_ROLE}@", 1),
                       "TANGGAP_CROSS_DATABASE_URL": url.replace("://postgres@", f"://{load.CROSS_ROLE}@", 1),
                       "REDIS_URL": f"redis://127.0.0.1:6379/{load.REDIS_DB}", "TANGGAP_PROXY_COUNT": "1",
                       "TANGGAP_INSTANCE_PATH": scratch, "PORT": str(port), "WEB_CONCURRENCY": str(args.workers),
                       "FORWARDED_ALLOW_IPS": "*",
                       "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT / "bench")])}
                server = serve_until_up(
                    [str(Path(sys.executable).parent / "gunicorn"), "--config", str(config),
                     "--access-logfile", "/dev/null", "bench_wsgi:app"],
                    cwd=ROOT, env=env, probe=f"http://127.0.0.1:{port}/_bench/bare", name="gunicorn")
                try:
                    time.sleep(2)  # every worker up
                    before = server_seconds(server.pid)
                    rows = load.drive("CitizenUser", port, setting, load_args, 8,
                                      Path(scratch) / f"round{round_}_{len(runs)}")
                    spent = server_seconds(server.pid) - before
                finally:
                    stop(server)
                post = next(row for row in rows if row["Name"] == "form POST")
                filed = int(post["Request Count"]) - int(post["Failure Count"])
                runs.append({"rate": float(post["Requests/s"]), "p50": float(post["50%"]), "p95": float(post["95%"]),
                             "cpu": spent * 1000 / max(1, filed), "errors": int(post["Failure Count"])})
                print(f"round {round_ + 1}, {label}: {filed:,} filings, {runs[-1]['rate']:.1f}/s, "
                      f"{runs[-1]['cpu']:.2f} ms CPU per filing", flush=True)
    print(f"\n{args.complaints:,} complaints, {args.workers} workers, 8 users, {args.seconds} s per run, "
          f"medians of {args.rounds} interleaved rounds:\n")
    print("| settings | filings/s | POST p50 / p95 ms | server CPU per filing (ms) | errors |")
    print("|---|---|---|---|---|")
    for label, runs in results.items():
        print(f"| {label} | {statistics.median(r['rate'] for r in runs):.1f} | "
              f"{statistics.median(r['p50'] for r in runs):.0f} / {statistics.median(r['p95'] for r in runs):.0f} | "
              f"{statistics.median(r['cpu'] for r in runs):.2f} | {sum(r['errors'] for r in runs)} |")
    if any(r["errors"] for runs in results.values() for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
