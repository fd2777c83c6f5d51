"""The staff inbox, one request at a time: server time and SQL statements per page.

Builds a PostgreSQL database of its own (dropped afterwards), fills it with
``flask demo --complaints N --tenants T``, gives a sample of the complaints words of their
own (names, Indonesian descriptions, a follow-up the citizen wrote later), vacuums as
autovacuum would, then serves the app in production mode as the app's own role behind
row-level security (Redis for sessions and limits), and asks, as a leader of the busiest
office, one request at a time:

  default   the inbox as it opens (open tab, soonest deadline first)
  filtered  all tabs, one component, newest first, page 3 (the load test's second page)
  search    filtered + a full-text search, for each of: a word that stems ("terlambat" is in
            "keterlambatan"), a citizen's name, part of a ticket number, a word only follow-up
            text holds, and a word in every complaint (the worst case for a count)

reporting the median and p95 of the server time and the number of statements per request.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/inbox.py --complaints 100000 --tenants 1
    ... --profile       the default page under cProfile (CPU time), the app's functions first
    ... --complaints 1000000 --tenants 50
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import time
from tempfile import TemporaryDirectory

from harness import ROOT, database_url, grant_roles  # first: puts the package on the path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from tests.throwaway import throwaway_app

ROLE = "tanggap_bench_inbox"
CROSS = "tanggap_bench_inbox_cross"
PASSWORD = "bench-password"
#: Sessions and limits; BENCH_REDIS_URL chooses another database of the server.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
#: One complaint in this many gets words of its own; the rest keep the demo's one sentence.
VARIED = 50
NAMES = ("Siti Rahayu", "Budi Hartono", "Ani Wijaya", "Dedi Kurniawan", "Rina Marlina", "Agus Salim",
         "Wahyu Pratama", "Yuliana Sari", "Hendra Gunawan", "Maya Anggraini")
SENTENCES = (
    "Keterlambatan penerbitan legalisir ijazah melewati jangka waktu pelayanan.",
    "Petugas meminta biaya tambahan untuk surat keterangan padahal layanan ini gratis.",
    "Persyaratan pendaftaran berubah tanpa pemberitahuan kepada masyarakat.",
    "Antrean di loket pelayanan sangat panjang dan prosedur tidak jelas.",
    "Produk pelayanan yang diterima salah ketik nama dan tanggal lahir.",
)


def prepare(owner, complaints: int, tenants: int) -> str:
    """Offices, complaints, varied words, the app's roles; returns the busiest office's slug."""
    runner = owner.test_cli_runner()
    for command in (["tenants", "load", str(ROOT / "tenants")],
                    ["demo", "--password", PASSWORD, "--complaints", str(complaints), "--tenants", str(tenants)]):
        result = runner.invoke(args=command)
        if result.exit_code:
            sys.exit(result.output)
    from tanggap.extensions import db

    with owner.app_context():
        with db.engine.begin() as connection:
            vary_words(connection)
            grant_roles(connection, ROLE, CROSS)
            slug = connection.execute(text(
                "SELECT t.slug FROM tenant t JOIN complaint c ON c.tenant_id = t.id "
                "GROUP BY t.slug ORDER BY count(*) DESC LIMIT 1")).scalar_one()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return slug


def vary_words(connection) -> None:
    """Give one complaint in VARIED a name and a sentence of its own, and one in 5 x VARIED a
    follow-up the citizen wrote later, so that searches find some complaints and not all."""
    names = ", ".join(f"'{name}'" for name in NAMES)
    sentences = ", ".join(f"'{sentence}'" for sentence in SENTENCES)
    connection.execute(text(
        # Chosen by a hash of the id, not its remainder: the demo deals complaints round the
        # offices by id, so remainders would give each office one name and one sentence.
        f"UPDATE complaint SET name = (ARRAY[{names}])[1 + abs(hashtext('n' || id)) % {len(NAMES)}], "
        f"description = (ARRAY[{sentences}])[1 + abs(hashtext('d' || id)) % {len(SENTENCES)}] "
        f"WHERE abs(hashtext('v' || id)) % {VARIED} = 0"))
    # What a citizen added later: in the timeline only, as the tracking page writes it.
    connection.execute(text(
        "INSERT INTO complaint_event (tenant_id, complaint_id, at, kind, actor_label, public, message, data) "
        "SELECT tenant_id, id, submitted_at + interval '1 hour', 'citizen_info', 'citizen', true, "
        "'Nomor kuitansi saya KW-' || id || ', dari loket dua.', '{}' FROM complaint "
        f"WHERE abs(hashtext('f' || id)) % {VARIED * 5} = 0"))


def served(owner_url: str, scratch: str):
    """The app as production runs it, connected as the app's role (row-level security applies)."""
    plain = owner_url.replace("postgresql+psycopg://", "postgresql://", 1)
    os.environ.update({
        "TANGGAP_ENV": "production", "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "DATABASE_URL": plain.replace("://postgres@", f"://{ROLE}@", 1),
        "TANGGAP_CROSS_DATABASE_URL": plain.replace("://postgres@", f"://{CROSS}@", 1),
        "TANGGAP_AUDIT_KEY": "bench-audit-key-" + "x" * 32, "REDIS_URL": REDIS_URL,
        "TANGGAP_INSTANCE_PATH": scratch, "TANGGAP_PROXY_COUNT": "1", "TANGGAP_PUBLIC_URL": "https://tanggap.bench",
    })
    from tanggap import create_app, heap

    app = create_app()
    heap.settle()  # as a gunicorn worker does once it has built the app (tanggap.wsgi)
    logging.disable(logging.WARNING)
    return app


def login(client, email: str) -> None:
    answer = client.get("/auth/login")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, (answer.status_code, answer.headers, page[:500])
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/auth/login", data={"csrf_token": token, "email": email, "password": PASSWORD},
                         headers={"Referer": "https://tanggap.bench/auth/login"})
    assert answer.status_code == 302, answer.status_code


def measure(client, url: str, repeat: int) -> tuple[float, float, float, int, int]:
    """Median and p95 milliseconds, the median of the app's own CPU milliseconds (the steady
    figure on a shared machine: it leaves out waiting for PostgreSQL and for the processor),
    statements per request, rows shown (after two warm-ups)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    for _ in range(2):
        client.get(url)
    times, cpu = [], []
    event.listen(Engine, "before_cursor_execute", count)
    try:
        for _ in range(repeat):
            statements.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    rows = len(re.findall(r'<td><a href="[^"]+/staff/complaints/[^"]+">', response.get_data(as_text=True)))
    times.sort()
    return (statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            statistics.median(cpu), len(statements), rows)


def profile(client, url: str, repeat: int) -> None:
    """``repeat`` requests of ``url`` under cProfile, counting CPU time (not time spent waiting)."""
    import cProfile
    import pstats

    client.get(url)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats("platform/tanggap/", 40)
    stats.sort_stats("tottime").print_stats(25)
    print(by_package(stats, repeat))


def by_package(stats, requests: int) -> str:
    """Own CPU time per request, summed by where the code lives (the app's templates apart
    from its Python, each library by its top-level package): where a page's time goes."""
    spent: dict[str, float] = {}
    for (filename, _line, _name), (_calls, _primitive, own, _cumulative, _callers) in stats.stats.items():
        if "/platform/tanggap/templates/" in filename:
            where = "tanggap templates"
        elif "/platform/tanggap/" in filename:
            where = "tanggap"
        elif "site-packages/" in filename:
            where = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        else:
            where = "python" if filename.startswith(("/usr", "~", "<")) else filename
        spent[where] = spent.get(where, 0.0) + own
    total = sum(spent.values())
    rows = sorted(spent.items(), key=lambda item: -item[1])
    return "\n".join(["| where | ms per request | share |", "|---|---|---|"] + [
        f"| {where} | {own / requests * 1000:.2f} | {own / total:.0%} |" for where, own in rows if own / total >= 0.005])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--show-sql", action="store_true", help="print the statements of one default page")
    parser.add_argument("--profile", action="store_true", help="profile --repeat default pages (cProfile, CPU "
                        "time) and print the app's functions that took the most, their callees included")
    args = parser.parse_args()
    base = database_url()
    logging.disable(logging.INFO)
    with throwaway_app(base) as owner, TemporaryDirectory() as scratch:
        started = time.perf_counter()
        slug = prepare(owner, args.complaints, args.tenants)
        print(f"loaded {args.complaints:,} complaints in {args.tenants} office(s) in "
              f"{time.perf_counter() - started:.0f} s; asking as the leader of {slug}", flush=True)
        app = served(owner.config["SQLALCHEMY_DATABASE_URI"], scratch)
        try:
            client = app.test_client()
            client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "tanggap.bench",
                                        "HTTP_X_FORWARDED_FOR": "10.1.2.3"})
            leader = "leader.disdikbud-metro@tanggap.demo" if slug == "disdikbud-metro" else f"leader.{slug}@tanggap.demo"
            login(client, leader)
            inbox = f"/{slug}/staff/complaints/"
            filtered = inbox + "?tab=all&component=time&sort=newest&page=3"
            number = client.get(inbox).get_data(as_text=True)
            fragment = re.search(r">[A-Z]+-\d{4}-(\d{6})</a>", number).group(1)[-5:]
            pages = [("default", inbox), ("filtered", filtered)]
            for label, words in (("stemmed word", "terlambat"), ("name", "hartono"), ("ticket part", fragment),
                                 ("follow-up word", "kuitansi"), ("word in every one", "standar")):
                pages.append((f"search: {label} ({words})", inbox + f"?tab=all&component=time&q={words}"))
            if args.show_sql:
                def show(conn, cursor, statement, *rest) -> None:
                    print("  SQL:", " ".join(statement.split())[:240])
                event.listen(Engine, "before_cursor_execute", show)
                client.get(inbox)
                event.remove(Engine, "before_cursor_execute", show)
            if args.profile:
                profile(client, inbox, args.repeat)
            print(f"\n{args.complaints:,} complaints, {args.tenants} office(s); {args.repeat} requests each")
            print("| page | median ms | p95 ms | CPU median ms | statements | rows shown |")
            print("|---|---|---|---|---|---|")
            for label, url in pages:
                median, p95, cpu, statements, rows = measure(client, url, args.repeat)
                print(f"| {label} | {median:.1f} | {p95:.1f} | {cpu:.1f} | {statements} | {rows} |", flush=True)
        finally:
            from tanggap.extensions import db

            with app.app_context():
                for engine in db.engines.values():
                    engine.dispose()
    _drop_roles(base)


def _drop_roles(base: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for role in (ROLE, CROSS):
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


if __name__ == "__main__":
    main()
