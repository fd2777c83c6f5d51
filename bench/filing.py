"""The citizen's filing, one request at a time: the public form's GET and its POST, with the
server time and the statements each costs, on the production stack (PostgreSQL as the app's
own role behind row-level security, Redis for the rate limits and jobs).

Builds a PostgreSQL database of its own (dropped afterwards), loads the shipped offices,
gives the app's two roles their rights as ``flask rls grant`` does, then runs the app as
production configures it (``TANGGAP_ENV=production``, pool pre-ping, rate-limit headers) in
this process and files the form of one office again and again, each time from an address
of its own behind the one proxy the app trusts, as the load test's citizens do.

Server time is the time inside the WSGI application (request parsing to the finished
response body), so it excludes the network and the client. Statements are counted at the
driver: every statement sent on a connection of the app's pool, pings and the row-level
security declarations (``set_config``) included; the transaction commands psycopg sends
itself (BEGIN, COMMIT, ROLLBACK) are counted apart.
Redis commands are counted too (a pipeline counts once).

Each run files ``--filings`` times after a warm-up; the report gives each run's median and
p95 and the median over runs (the machine is shared: several runs, medians).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/filing.py --runs 5 --filings 200

Before and after (issue 19: published decree versions kept per process, the receipt's address
built before the commit, no declaration of "no office" at a transaction's start), on the
2-core machine shared with other work (load average 3.6-3.9 while measuring), before = a33069d,
runs interleaved, ``--runs 3 --filings 100``; medians of the runs' medians:

    |            | statements before -> after          | CPU p50 before -> after   | wall p50 before -> after  |
    | form GET   | 12 -> 5  (ping 1, set_config 1)     | 24.0 -> 16.5 ms (0.69 x)  | 52.0 -> 27.9 ms (0.54 x)  |
    | form POST  | 24 -> 13 (ping 1, set_config 1)     | 34.2 -> 24.2 ms (0.71 x)  | 76.5 -> 47.8 ms (0.63 x)  |
    | filing     | 36 -> 18, BEGIN/COMMIT apart        |                           |                           |

Wall times on this machine move by 2x between runs of the same code (six interleaved runs of
150 filings gave GET p50 24-45 ms before and 14-34 ms after); the statement counts and the
CPU ratios are the steady figures. The targets (GET <= 5 ms, POST <= 12 ms, <= 10 statements)
are not met yet: what is left is mostly template rendering (the form's widgets) and the
filing's own writes.

Then the blank form kept per worker (``complaints/blank_form.py``), on a quiet machine,
before = c7c8eee and after = 189242a, one after the other, ``--runs 3 --filings 100``:

    |            | CPU p50 before -> after   | wall p50 before -> after  |
    | form GET   | 23.9 -> 14.6 ms (0.61 x)  | 29.1 -> 17.6 ms (0.61 x)  |
    | form POST  | 32.9 -> 30.2 ms (0.92 x)  | 45.4 -> 40.9 ms (0.90 x)  |

The POST is now most of a filing: eleven statements of its own (the resend check, the
gapless number, the complaint, its timeline entry, the audit chain's lock, head and entry,
the outbox row), each a round trip, and none of them can go without giving up a guarantee.

Then which version is in force and the office's units kept under the office's revision
(``tenancy/revision.py``), before = 7fa70cd and after = 628b1ff, runs alternated, ``--runs 1
--filings 150`` twice each (medians of the two):

    |            | statements before -> after  | CPU p50 before -> after  | wall p50 before -> after |
    | form GET   | 5 -> 2 (ping 1, the office) | 6.92 -> 5.55 ms (0.80 x) | 7.66 -> 5.97 ms (0.78 x) |
    | form POST  | 12 -> 10                    | 14.12 -> 13.85 ms        | 17.08 -> 16.74 ms        |
    | filing     | 17 -> 12                    |                          |                          |

The GET now reads no office-owned table, so it declares no office to row-level security either.

Then the office declared to row-level security by its own look-up and the audit chain's lock
and head read by one statement (``audit_chain_head``), before = 7fa70cd and after = 50c293b,
runs alternated as above, on the same machine in a slower hour:

    |            | statements before -> after           | CPU p50 before -> after   | wall p50 before -> after  |
    | form GET   | 5 -> 2                               | 10.42 -> 7.54 ms (0.72 x) | 11.35 -> 8.06 ms (0.71 x) |
    | form POST  | 12 -> 8 (ping 1, select 2, insert 4, | 20.23 -> 16.23 ms (0.80 x)| 23.96 -> 19.26 ms (0.80 x)|
    |            |   the counter's update 1)            |                           |                           |
    | filing     | 17 -> 10: the target (<= 10) is met  |                           |                           |

Then the POST filed from the kept outline, its rows written in two flushes instead of four,
the counter's statement built once, and the worker's heap frozen once the app is built
(``heap.settle``), before = d8b714e and after = bf14fe8. This machine now swings between two
speeds by 1.5x for the same code (POST CPU p50 9.8-10.3 ms or 13.9-14.7 ms, six alternated
runs of one build), which hides a fifth either way; the deterministic figures, from
``--profile POST`` over 300 filings:

    |            | function calls per POST | profiled CPU, 300 POSTs | flushes | statements |
    | form POST  | 19,330 -> 15,670 (0.81 x) | 17.3 -> 13.8 s (0.80 x) | 4 -> 2  | 8 -> 8     |

and in the quick mode POST p50 12.5-13.0 ms wall, 9.8-10.3 ms CPU; GET p50 3.4-3.6 ms.

``--bare`` then files once more with its transaction rolled back, and sends what that filing
sent again, 20 + ``--filings`` times: each side's statements, with their parameters, as its
own transaction on a bare psycopg connection as the app's role, and its Redis commands on a
bare client. It prints the CPU this takes beside the app's: what the filing's round trips
cost with nothing above the drivers, the part of a filing no framework work can remove.
On a faster machine (2026-12-04, ``--runs 1 --filings 300 --bare``): GET p50 2.19 ms (CPU
1.95), POST p50 8.49 ms (CPU 6.91); on bare drivers SQL 0.98 ms and Redis 0.30 ms, 1.28 of
the app's 8.86 ms of CPU per filing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from harness import ROOT, database_url, grant_roles  # first: puts the package on the path

import logging

import psycopg
import redis

from tanggap.extensions import db
from tests.throwaway import throwaway_app

APP_ROLE = "tanggap_bench_app"
CROSS_ROLE = "tanggap_bench_cross"
OFFICE = "disdikbud-metro"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
TARGETS_MS = {"GET": 5.0, "POST": 12.0}
TARGET_STATEMENTS = 10


class Meter:
    """Counts what the server sends while it is switched on: SQL statements at the driver
    (by kind), transaction ends, Redis commands."""

    def __init__(self) -> None:
        self.on = False
        self.sql: list[str] = []
        self.ends = Counter[str]()
        self.redis = 0
        self.redis_names = Counter[str]()
        #: What was sent, to be sent again on bare drivers (``--bare``): each statement with
        #: its parameters, and each Redis command or pipeline (a list of commands).
        self.sent: list[tuple[Any, Any]] = []
        self.redis_sent: list[list[tuple[Any, ...]]] = []

    def reset(self) -> None:
        self.sql, self.ends, self.redis, self.redis_names = [], Counter(), 0, Counter()
        self.sent, self.redis_sent = [], []

    def install(self) -> None:
        meter = self
        for name in ("execute", "executemany"):
            original = getattr(psycopg.Cursor, name)

            def counted(cursor: Any, query: Any, *args: Any, _original: Callable = original, **kwargs: Any) -> Any:
                if meter.on:
                    meter.sql.append(query if isinstance(query, str) else str(query))
                    meter.sent.append((query, args[0] if args else kwargs.get("params")))
                return _original(cursor, query, *args, **kwargs)

            setattr(psycopg.Cursor, name, counted)
        command_of = psycopg.Connection._exec_command

        def counted_command_of(connection: Any, sent: Any, *args: Any, **kwargs: Any) -> Any:
            if meter.on:  # BEGIN, COMMIT, ROLLBACK: psycopg sends them itself
                meter.ends[sent.decode() if isinstance(sent, bytes) else str(sent)] += 1
            return command_of(connection, sent, *args, **kwargs)

        psycopg.Connection._exec_command = counted_command_of  # type: ignore[method-assign]
        command = redis.Redis.execute_command

        def counted_command(client: Any, *args: Any, **kwargs: Any) -> Any:
            if meter.on:
                meter.redis += 1
                meter.redis_names[str(args[0])] += 1
                meter.redis_sent.append([args])
            return command(client, *args, **kwargs)

        redis.Redis.execute_command = counted_command  # type: ignore[method-assign]
        execute = redis.client.Pipeline.execute

        def counted_pipeline(pipe: Any, *args: Any, **kwargs: Any) -> Any:
            if meter.on:
                meter.redis += 1
                meter.redis_names["pipeline(" + " ".join(str(c[0][0]) for c in pipe.command_stack) + ")"] += 1
                meter.redis_sent.append([command[0] for command in pipe.command_stack])
            return execute(pipe, *args, **kwargs)

        redis.client.Pipeline.execute = counted_pipeline  # type: ignore[method-assign]

    def kinds(self) -> Counter[str]:
        found = Counter[str]()
        for statement in self.sql:
            head = " ".join(statement.split()).upper()
            if head.startswith("SELECT SET_CONFIG"):
                found["set_config"] += 1
            elif head in (";", "SELECT 1", "SELECT 1;"):  # the pool's pre-ping (psycopg sends an empty query)
                found["ping"] += 1
            else:
                found[head.split(" ", 1)[0].lower()] += 1
        return found


class ServerClock:
    """WSGI middleware keeping the time of the last request inside the application, and the
    CPU time this process spent on it (steadier than wall time on a machine shared with others)."""

    def __init__(self, wsgi_app: Callable[..., Any]) -> None:
        self.wsgi_app, self.last, self.cpu = wsgi_app, 0.0, 0.0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        body = list(self.wsgi_app(environ, start_response))
        self.last, self.cpu = time.perf_counter() - started, time.process_time() - cpu
        return body


class Profiler:
    """cProfile switched on around the application for requests of one method only."""

    def __init__(self, app: Any, method: str) -> None:
        import cProfile

        # CPU time, not wall time: waiting on the database or on other processes is not what is looked for.
        self.profile, self.method, inner = cProfile.Profile(time.process_time), method, app.wsgi_app

        def profiled(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            if environ["REQUEST_METHOD"] != self.method:
                return inner(environ, start_response)
            self.profile.enable()
            try:
                return list(inner(environ, start_response))
            finally:
                self.profile.disable()

        app.wsgi_app = profiled

    def report(self, lines: int = 40) -> None:
        """The app's own functions by time with their callees, then any function by its own time."""
        import pstats

        self.profile.dump_stats("/tmp/post.prof")
        stats = pstats.Stats(self.profile)
        stats.sort_stats("cumulative").print_stats("platform/tanggap/", lines)
        stats.sort_stats("tottime").print_stats(lines // 2)


def prepare(owner: Any) -> tuple[str, str]:
    """The shipped offices and the app's two roles; their connection URLs."""
    result = owner.test_cli_runner().invoke(args=["tenants", "load", str(ROOT / "tenants")])
    if result.exit_code:
        sys.exit(result.output)
    with owner.app_context():
        with db.engine.begin() as connection:
            grant_roles(connection, APP_ROLE, CROSS_ROLE)
        url = owner.config["SQLALCHEMY_DATABASE_URI"]
        db.engine.dispose()
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    return (plain.replace("://postgres@", f"://{APP_ROLE}@", 1), plain.replace("://postgres@", f"://{CROSS_ROLE}@", 1))


@contextmanager
def production_app(app_url: str, cross_url: str, redis_url: str, scratch: Path) -> Iterator[Any]:
    """The app as gunicorn would load it in production, behind one trusted (pretend TLS) proxy."""
    settings = {"TANGGAP_ENV": "production", "SECRET_KEY": "bench-secret-key-" + "x" * 32,
                "DATABASE_URL": app_url, "TANGGAP_CROSS_DATABASE_URL": cross_url,
                "TANGGAP_AUDIT_KEY": "bench-audit-key-" + "x" * 32, "REDIS_URL": redis_url,
                "TANGGAP_PROXY_COUNT": "1", "TANGGAP_INSTANCE_PATH": str(scratch),
                "TANGGAP_PUBLIC_URL": "https://localhost"}
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        from tanggap import create_app, heap

        app = create_app({"RATELIMIT_KEY_PREFIX": f"tanggap-bench-{random.getrandbits(32):08x}"})
        heap.settle()  # as a gunicorn worker does once it has built the app (tanggap.wsgi)
        logging.disable(logging.WARNING)
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def file_once(app: Any, clock: ServerClock, meter: Meter) -> dict[str, Any]:
    """One citizen: the form, then the filing; each side's server time and what it sent."""
    address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    client = app.test_client()
    headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https", "Accept-Language": "id"}
    page = f"/{OFFICE}/pengaduan/baru"
    found: dict[str, Any] = {}
    meter.reset()
    meter.on = True
    form = client.get(page, base_url="https://localhost", headers=headers)
    meter.on = False
    assert form.status_code == 200, form.status_code
    found["GET CPU"] = clock.cpu
    found["GET"] = (clock.last, len(meter.sql), meter.kinds(), dict(meter.ends), meter.redis, list(meter.sql),
                    dict(meter.redis_names))
    found["GET sent"] = (meter.sent, meter.redis_sent)
    body = form.get_data(as_text=True)
    token, key = TOKEN.search(body), KEY.search(body)
    assert token and key
    meter.reset()
    meter.on = True
    answer = client.post(page, base_url="https://localhost",
                         headers={**headers, "Referer": "https://localhost" + page}, data={
                             "csrf_token": token.group(1), "submission_key": key.group(1), "components": "time",
                             "description": "BENCH-FILING: layanan selesai jauh melewati jangka waktu standar.",
                             "occurred_on": "2026-01-05", "service": "Legalisir", "unit": "",
                             "waited_amount": "3", "waited_unit": "days", "name": "Warga Uji",
                             "email": "uji@example.org", "consent": "y"})
    meter.on = False
    assert answer.status_code in (302, 303), (answer.status_code, answer.get_data(as_text=True)[:2000])
    found["POST CPU"] = clock.cpu
    found["POST"] = (clock.last, len(meter.sql), meter.kinds(), dict(meter.ends), meter.redis, list(meter.sql),
                     dict(meter.redis_names))
    found["POST sent"] = (meter.sent, meter.redis_sent)
    return found


def kept_back(app: Any, clock: ServerClock, meter: Meter) -> dict[str, Any]:
    """One filing whose transaction is rolled back where the app commits it: what it sent can
    then be sent again, its ticket number, audit sequence and keys still free."""
    commit = psycopg.Connection.commit
    psycopg.Connection.commit = psycopg.Connection.rollback  # type: ignore[method-assign]
    try:
        return file_once(app, clock, meter)
    finally:
        psycopg.Connection.commit = commit  # type: ignore[method-assign]


def on_bare_drivers(sample: dict[str, Any], app_url: str, redis_url: str, times: int) -> tuple[float, float]:
    """The CPU this process spends sending one filing's SQL (both sides, each its own
    transaction, rolled back) and its Redis commands again on a bare psycopg connection as the
    app's role and a bare Redis client (keys renamed, removed afterwards), medians in ms: what
    the filing's round trips cost with no framework, ORM or library above the drivers."""
    sides = [sample["GET sent"], sample["POST sent"]]
    sql_cpu, redis_cpu = [], []
    bare_redis = redis.Redis.from_url(redis_url)
    renamed: set[Any] = set()

    def rename(command: tuple[Any, ...]) -> tuple[Any, ...]:
        name = str(command[0]).upper()
        if name in ("EVALSHA", "EVAL"):
            keys = int(command[2])
            moved = tuple(f"tanggap-bare:{key}" for key in command[3:3 + keys])
            renamed.update(moved)
            return (*command[:3], *moved, *command[3 + keys:])
        renamed.add(f"tanggap-bare:{command[1]}")
        return (command[0], f"tanggap-bare:{command[1]}", *command[2:])

    with psycopg.connect(app_url) as connection:
        for round_ in range(times + 20):  # the first twenty warm the connection's prepared statements
            started = time.process_time()
            for sent, _redis in sides:
                complaint_id = None
                for query, params in sent:
                    if isinstance(params, dict) and "complaint_id" in params and complaint_id is not None:
                        params = {**params, "complaint_id": complaint_id}  # the row this replay inserted
                    cursor = connection.execute(query, params)
                    if cursor.description:
                        rows = cursor.fetchall()
                        if str(query).lstrip().startswith("INSERT INTO complaint ("):
                            complaint_id = rows[0][0]
                connection.rollback()
            sql = time.process_time() - started
            started = time.process_time()
            for _sent, commands in sides:
                for batch in commands:
                    if len(batch) == 1:
                        bare_redis.execute_command(*rename(batch[0]))
                    else:
                        pipe = bare_redis.pipeline()
                        for command in batch:
                            pipe.execute_command(*rename(command))
                        pipe.execute()
            if round_ >= 20:
                sql_cpu.append(sql * 1000)
                redis_cpu.append((time.process_time() - started) * 1000)
    if renamed:
        bare_redis.delete(*renamed)
    return statistics.median(sql_cpu), statistics.median(redis_cpu)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--filings", type=int, default=200, help="measured filings per run")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--show", action="store_true", help="print the statements of one filing")
    parser.add_argument("--bare", action="store_true", help="also send one filing's SQL and Redis commands again "
                        "on bare drivers and report their CPU beside the app's")
    parser.add_argument("--profile", choices=("GET", "POST"), help="profile the measured runs (cProfile) and "
                        "print the functions of that side that took the most time, their callees included")
    args = parser.parse_args()
    base = database_url()
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    logging.disable(logging.INFO)
    meter = Meter()
    meter.install()
    with throwaway_app(base) as owner, TemporaryDirectory() as scratch:
        app_url, cross_url = prepare(owner)
        with production_app(app_url, cross_url, redis_url, Path(scratch)) as app:
            clock = ServerClock(app.wsgi_app)
            app.wsgi_app = clock
            for _ in range(args.warmup):
                file_once(app, clock, meter)
            if args.show:
                sample = file_once(app, clock, meter)
                for side in ("GET", "POST"):
                    print(f"-- {side}: {sample[side][1]} statements, transaction commands {sample[side][3]}, "
                          f"{sample[side][4]} Redis commands {sample[side][6]}")
                    for statement in sample[side][5]:
                        print("   ", " ".join(statement.split())[:150])
            medians: dict[str, list[float]] = {"GET": [], "POST": []}
            p95s: dict[str, list[float]] = {"GET": [], "POST": []}
            counts: dict[str, Counter[tuple]] = {"GET": Counter(), "POST": Counter()}
            cpu: dict[str, list[float]] = {"GET": [], "POST": []}
            profiler = Profiler(app, args.profile) if args.profile else None
            for run in range(1, args.runs + 1):
                times: dict[str, list[float]] = {"GET": [], "POST": []}
                for _ in range(args.filings):
                    once = file_once(app, clock, meter)
                    for side in times:
                        seconds, statements, kinds, ends, redis_commands, _sql, _names = once[side]
                        times[side].append(seconds * 1000)
                        cpu[side].append(once[f"{side} CPU"] * 1000)
                        counts[side][(statements, tuple(sorted(kinds.items())), tuple(sorted(ends.items())),
                                      redis_commands)] += 1
                line = []
                for side in ("GET", "POST"):
                    medians[side].append(statistics.median(times[side]))
                    p95s[side].append(percentile(times[side], 0.95))
                    line.append(f"{side} p50 {medians[side][-1]:.2f} ms p95 {p95s[side][-1]:.2f} ms")
                print(f"run {run}: " + "; ".join(line), flush=True)
            if args.bare:
                bare = on_bare_drivers(kept_back(app, clock, meter), app_url, redis_url, args.filings)
    if profiler is not None:
        profiler.report()
    print(f"\nmedian over {args.runs} runs of {args.filings} filings each (server time, one request at a time):")
    total = 0
    for side in ("GET", "POST"):
        (statements, kinds, ends, redis_commands), seen = counts[side].most_common(1)[0]
        total += statements
        p50, p95 = statistics.median(medians[side]), statistics.median(p95s[side])
        verdict = "met" if p50 <= TARGETS_MS[side] else "MISSED"
        print(f"  form {side}: p50 {p50:.2f} ms, p95 {p95:.2f} ms (target p50 <= {TARGETS_MS[side]:.0f} ms: {verdict}); "
              f"CPU p50 {statistics.median(cpu[side]):.2f} ms; {statements} SQL statements ({', '.join(f'{k} {v}' for k, v in kinds)}), "
              f"transaction commands ({', '.join(f'{k} {v}' for k, v in ends) or 'none'}), "
              f"{redis_commands} Redis commands [{seen} of {sum(counts[side].values())} requests]")
    verdict = "met" if total <= TARGET_STATEMENTS else "MISSED"
    print(f"  whole filing (GET + POST): {total} SQL statements, BEGIN/COMMIT/ROLLBACK not included "
          f"(target <= {TARGET_STATEMENTS}: {verdict})")
    if args.bare:
        app_cpu = statistics.median(cpu["GET"]) + statistics.median(cpu["POST"])
        print(f"  the same filing's round trips on bare drivers (psycopg, redis-py; no Flask, ORM or library above "
              f"them), CPU of this process: SQL {bare[0]:.2f} ms, Redis {bare[1]:.2f} ms, together "
              f"{bare[0] + bare[1]:.2f} ms of the app's {app_cpu:.2f} ms per filing (GET + POST)")


if __name__ == "__main__":
    main()
