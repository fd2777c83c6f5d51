"""Tanggap side by side with the helpdesk a province would install instead (issue 19): a stock
django-helpdesk 2.6.1 (Django 5.2, gunicorn, PostgreSQL) against Tanggap in production mode
(the app's role behind row-level security, Redis), the same number of gunicorn sync workers,
the same complaints, the same load generator, interleaved runs.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'      # locust, in Tanggap's venv
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/peer/compare.py --complaints 100000 --runs 3 --seconds 20

What it does, each step bounded in time, everything on 127.0.0.1:

1. The helpdesk's own venv, ``bench/peer/.venv``, from ``bench/peer/requirements.txt``
   (exact pins, every dependency listed, installed with ``--no-deps``), made on first use
   and again when the pins change; by hand: ``python3 -m venv bench/peer/.venv &&
   bench/peer/.venv/bin/pip install --no-deps -r bench/peer/requirements.txt``.
2. Tanggap's database (``flask demo --complaints N --tenants 1``: N complaints in one
   office, with bench/inbox.py's varied names, sentences and follow-ups), its two login
   roles (owning nothing, bypassing nothing), vacuumed as autovacuum would.
3. The helpdesk's database: Django's migrations, a public queue per standard component
   (``helpdesk_site/prepare.py``), a staff account, and the same N complaints copied in as
   tickets with their opening follow-up and the citizens' later ones (COPY from Tanggap's
   database, not the ORM row by row); the finished ones closed, the rest open.
4. Both servers under gunicorn (``--workers``, sync), Tanggap's as bench/load.py serves it;
   a staff session per locust user on each (logged in now, so that no run spends its
   seconds hashing passwords), and each filtered search asked once, to show that both find
   the same complaints.
5. For each of ``--runs`` runs, for each scenario, the helpdesk then Tanggap, ``--users``
   locust users for ``--seconds`` (``bench/peer/users.py``):
     filing   the public form fetched for its CSRF token, then filed
     inbox    a staff member's inbox as it opens (the helpdesk's list page and its table's JSON)
     search   the inbox filtered (all statuses, the "time" component, newest first) and searched
   with the CPU time of the app's gunicorn workers and of the database's PostgreSQL
   backends read from /proc before and after each.
6. A markdown table of the medians over the runs (filings per second, GET/POST p50/p95,
   the inbox views' p50/p95, Tanggap / helpdesk), CPU per filing, every request's own
   figures, the error count, and the filings locust saw accepted against those found in
   each database afterwards. Exits 1 on any error or lost filing.

``--floor`` adds, to each run's filing, a third server: ``floor_app.py``, a Flask app that
answers the form's GET and POST with nothing behind them, under gunicorn with as many
workers, filed by the same citizens (``FloorCitizen``). Its rate is the most any Flask app
can reach on this harness and machine, and the table sets it against the helpdesk's.

At the end, or on Ctrl-C or failure, it stops every process it started (by its pid), drops
both databases and the roles, and empties its Redis database (``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/11``). ``--out FILE`` also writes the table to FILE (the
repository keeps no results folder: figures go into the issue's notes and the README).

The helpdesk keeps its defaults but three, named in ``helpdesk_site/settings.py``: no
pinax-teams, persistent database connections, and mail rendered but not sent.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: the harness, and through it the package

from harness import ROOT, database_url, grant_roles, serve_until_up, stop  # first: puts the package on the path
from inbox import vary_words
from load import serve as serve_tanggap

import psycopg
import redis
import requests
from sqlalchemy import text

from tanggap import clock
from tests.notifications.conftest import free_port
from tests.throwaway import throwaway_app

PEER = Path(__file__).resolve().parent
APP_ROLE = "tanggap_peer_app"
CROSS_ROLE = "tanggap_peer_cross"
PASSWORD = "bench-password"
VENV = PEER / ".venv"
REQUIREMENTS = PEER / "requirements.txt"
LOCUST = Path(sys.executable).parent / "locust"
#: Scenario: the helpdesk's locust user, Tanggap's.
SCENARIOS = {"filing": ("HelpdeskCitizen", "CitizenUser"), "inbox": ("HelpdeskInbox", "TanggapInbox"),
             "search": ("HelpdeskSearch", "TanggapSearch")}
SYSTEMS = ("helpdesk", "Tanggap")
#: The Flask app with nothing behind its form (``--floor``), which files but keeps nothing.
FLOOR = "floor"
MARKER = "BENCH-LOAD%"
TICKS = os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000, help="complaints (tickets) in each database")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs; the table gives their medians")
    parser.add_argument("--seconds", type=int, default=20, help="length of each scenario")
    parser.add_argument("--users", type=int, default=8, help="concurrent locust users")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers of each server")
    parser.add_argument("--search", default="terlambat", help="the word staff search for")
    parser.add_argument("--out", type=Path, help="also write the markdown to this file")
    parser.add_argument("--floor", action="store_true", help="also file on a Flask app with nothing behind its "
                        "form (floor_app.py), the same workers and load: the rate no Flask app here can pass")
    args = parser.parse_args()
    base = database_url().replace("postgresql+psycopg://", "postgresql://", 1)
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    logging.disable(logging.INFO)
    ensure_venv()
    # A polite kill (SIGTERM, SIGHUP) unwinds like Ctrl-C: servers stopped, databases dropped.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupted)

    with ExitStack() as stack:
        scratch = Path(stack.enter_context(TemporaryDirectory()))
        stack.callback(drop_roles, base)  # after the database holding their grants is gone
        owner = stack.enter_context(throwaway_app(base))
        started = time.perf_counter()
        tanggap = prepare_tanggap(owner, args.complaints)
        tanggap_url = owner.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://", 1)
        helpdesk_url = stack.enter_context(helpdesk_database(base))
        queues = prepare_helpdesk(helpdesk_url, tanggap_url, int(tanggap["setting"]["BENCH_BARE_TENANT"]))
        print(f"loaded {args.complaints:,} complaints into each database in {time.perf_counter() - started:.0f} s",
              flush=True)
        flush(redis_url)
        stack.callback(flush, redis_url)

        app_url = tanggap_url.replace("://postgres@", f"://{APP_ROLE}@", 1)
        cross_url = tanggap_url.replace("://postgres@", f"://{CROSS_ROLE}@", 1)
        tanggap_server, tanggap_port = serve_tanggap(app_url, cross_url, tanggap["setting"], args.workers,
                                                     scratch, redis_url)
        stack.callback(stop, tanggap_server)
        helpdesk_server, helpdesk_port = serve_helpdesk(helpdesk_url, args.workers)
        stack.callback(stop, helpdesk_server)
        if args.floor:
            floor_server, floor_port = serve_floor(args.workers)
            stack.callback(stop, floor_server)

        env = {**tanggap["setting"], "BENCH_HELPDESK_QUEUE": str(queues["time"]), "BENCH_SEARCH": args.search,
               "BENCH_PASSWORD": PASSWORD}
        targets = {"helpdesk": (helpdesk_server, helpdesk_port, db_name(helpdesk_url)),
                   "Tanggap": (tanggap_server, tanggap_port, db_name(tanggap_url))}
        if args.floor:
            targets[FLOOR] = (floor_server, floor_port, "")
        sessions = {"helpdesk": [log_in_helpdesk(helpdesk_port, f"10.0.0.{n}") for n in range(1, args.users + 1)],
                    "Tanggap": [log_in_tanggap(tanggap_port, tanggap["setting"]["BENCH_LEADERS"], f"10.0.0.{n}")
                                for n in range(1, args.users + 1)]}
        print(found(helpdesk_port, tanggap_port, sessions, tanggap["slug"], queues["time"], args.search), flush=True)
        results: list[dict] = []
        with psycopg.connect(base, autocommit=True) as admin:
            for run in range(1, args.runs + 1):
                for scenario, users in SCENARIOS.items():
                    asked = list(zip(SYSTEMS, users, strict=True))
                    if args.floor and scenario == "filing":
                        asked.append((FLOOR, "FloorCitizen"))
                    for system, user in asked:
                        server, port, database = targets[system]
                        before = cpu(admin, server.pid, database)
                        generator = _generator_seconds()
                        stats = drive(system, user, port, {**env, "BENCH_SESSIONS": json.dumps(sessions.get(system, []))},
                                      args, scratch / f"{system}_{scenario}_{run}")
                        after = cpu(admin, server.pid, database)
                        results.append({"run": run, "scenario": scenario, "system": system, "stats": stats,
                                        "workers": after[0] - before[0], "postgres": after[1] - before[1],
                                        "generator": _generator_seconds() - generator})
                        print(f"run {run}, {scenario}, {system}: {summary(stats)}", flush=True)
        stored = {"helpdesk": count(helpdesk_url, "SELECT count(*) FROM helpdesk_ticket WHERE description LIKE %s"),
                  "Tanggap": count(tanggap_url, "SELECT count(*) FROM complaint WHERE description LIKE %s")}
        receipts = {system: set((scratch / f"accepted_{system}.txt").read_text().split())
                    if (scratch / f"accepted_{system}.txt").exists() else set() for system in (*SYSTEMS, FLOOR)}

    markdown, failed = report(results, stored, receipts, args)
    print("\n" + markdown)
    if args.out:
        args.out.write_text(markdown)
    if failed:
        sys.exit(1)


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def ensure_venv() -> None:
    """bench/peer/.venv with the exact pins, (re)made when the pins are newer than it."""
    installed = VENV / ".installed"
    if installed.exists() and installed.stat().st_mtime >= REQUIREMENTS.stat().st_mtime:
        return
    print(f"making {VENV} from {REQUIREMENTS.name}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "--no-deps", "-r", str(REQUIREMENTS)],
                   check=True, timeout=900)
    installed.touch()


def prepare_tanggap(owner, complaints: int) -> dict:
    """One office of N complaints (bench/inbox.py's varied words), the app's roles, vacuumed."""
    runner = owner.test_cli_runner()
    for command in (["tenants", "load", str(ROOT / "tenants")],
                    ["demo", "--password", PASSWORD, "--complaints", str(complaints), "--tenants", "1"]):
        result = runner.invoke(args=command)
        if result.exit_code:
            sys.exit(result.output)
    from tanggap.extensions import db

    with owner.app_context():
        with db.engine.begin() as connection:
            vary_words(connection)
            grant_roles(connection, APP_ROLE, CROSS_ROLE)
            slug, tenant_id, number = connection.execute(text(
                "SELECT t.slug, t.id, (SELECT number FROM complaint WHERE tenant_id = t.id ORDER BY id DESC LIMIT 1) "
                "FROM tenant t JOIN complaint c ON c.tenant_id = t.id GROUP BY t.id ORDER BY count(*) DESC LIMIT 1"
            )).one()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return {"slug": slug, "setting": {
        "BENCH_OFFICES": slug, "BENCH_LEADERS": f"leader.{slug}@tanggap.demo", "BENCH_PASSWORD": PASSWORD,
        "BENCH_BARE_TENANT": str(tenant_id), "BENCH_BARE_NUMBER": number}}


@contextmanager
def helpdesk_database(base: str) -> Iterator[str]:
    """A database of the helpdesk's own beside ``base``, dropped afterwards."""
    name = f"helpdesk_peer_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_helpdesk(helpdesk_url: str, tanggap_url: str, office: int) -> dict[str, int]:
    """Tables, queues and staff (in the helpdesk's venv), then the office's complaints as tickets
    (the office's alone: the demo gives the shipped offices a few of their own)."""
    made = subprocess.run([str(VENV / "bin" / "python"), str(PEER / "helpdesk_site" / "prepare.py"), PASSWORD],
                          env={**os.environ, "HELPDESK_DATABASE_URL": helpdesk_url}, capture_output=True, text=True,
                          timeout=600, check=False)
    if made.returncode:
        sys.exit(made.stderr)
    queues: dict[str, int] = json.loads(made.stdout.strip().splitlines()[-1])
    queue = "CASE c.components ->> 0 " + " ".join(f"WHEN '{slug}' THEN {id_}" for slug, id_ in queues.items()) \
        + f" ELSE {queues['time']} END"
    tickets = (  # a citizen's ticket: its words, its e-mail, its dates; the finished ones closed (4), else open (1)
        "SELECT c.id, left(c.description, 200), c.submitted_at, coalesce(c.closed_at, c.submitted_at), c.email, "
        "CASE WHEN c.status IN ('closed', 'not_competent', 'transferred', 'withdrawn') THEN 4 ELSE 1 END, false, "
        f"c.description, 3, c.due_at, {queue}, gen_random_uuid()::text FROM complaint c WHERE c.tenant_id = {office} "
        "ORDER BY c.id")
    follow_ups = ("SELECT complaint_id, at, 'Informasi tambahan', message, true FROM complaint_event "
                  f"WHERE kind = 'citizen_info' AND tenant_id = {office}")
    with psycopg.connect(tanggap_url) as source, psycopg.connect(helpdesk_url) as target:
        for select, into in (
                (tickets, "helpdesk_ticket (id, title, created, modified, submitter_email, status, on_hold, "
                          "description, priority, due_date, queue_id, secret_key)"),
                (follow_ups, "helpdesk_followup (ticket_id, date, title, comment, public)")):
            with source.cursor().copy(f"COPY ({select}) TO STDOUT") as out, \
                    target.cursor().copy(f"COPY {into} FROM STDIN") as copy:
                for chunk in out:
                    copy.write(chunk)
        # The follow-up the helpdesk writes when a ticket is opened on the web, for every ticket.
        target.execute("INSERT INTO helpdesk_followup (ticket_id, date, title, comment, public) "
                       "SELECT id, created, 'Ticket Opened Via Web', description, true FROM helpdesk_ticket")
        for table in ("helpdesk_ticket", "helpdesk_followup"):
            target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        target.commit()
        target.autocommit = True
        target.execute("VACUUM ANALYZE")
    return queues


def serve_helpdesk(url: str, workers: int) -> tuple[subprocess.Popen, int]:
    """The helpdesk under gunicorn from its venv, production settings, behind one (pretend) TLS proxy."""
    port = free_port()
    server = serve_until_up(
        [str(VENV / "bin" / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--no-control-socket", "helpdesk_site.wsgi:application"],
        cwd=PEER, env={**os.environ, "HELPDESK_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "helpdesk_site.settings"},
        probe=f"http://127.0.0.1:{port}/helpdesk/tickets/submit/", name="the helpdesk's gunicorn")
    return server, port


TOKEN = re.compile(r'name="(?:csrf_token|csrfmiddlewaretoken)"(?: type="hidden")? value="([^"]+)"')


def serve_floor(workers: int) -> tuple[subprocess.Popen, int]:
    """``floor_app.py`` under gunicorn from Tanggap's venv, as many sync workers as the others."""
    port = free_port()
    server = serve_until_up(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--no-control-socket", "floor_app:app"],
        cwd=PEER, env=dict(os.environ), probe=f"http://127.0.0.1:{port}/floor/pengaduan/baru", name="the floor's gunicorn")
    return server, port


def log_in_tanggap(port: int, email: str, address: str) -> dict:
    """A leader's session, as the login form gives it (through the pretend TLS proxy). Tanggap
    binds a session to its address and browser (Flask-Login's strong protection): the locust
    user comes from the same address, with the same client library."""
    return _log_in(f"http://127.0.0.1:{port}/auth/login", {"email": email, "password": PASSWORD},
                   "csrf_token", ("session",), address)


def log_in_helpdesk(port: int, address: str) -> dict:
    """The staff account's session and CSRF cookie, as the helpdesk's login form gives them."""
    return _log_in(f"http://127.0.0.1:{port}/helpdesk/login/", {"username": "staff", "password": PASSWORD},
                   "csrfmiddlewaretoken", ("sessionid", "csrftoken"), address)


def _log_in(url: str, fields: dict[str, str], token_field: str, names: tuple[str, ...], address: str) -> dict:
    # The cookies are Secure: carried by hand over plain HTTP, as the locust users carry them.
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address, "Accept-Language": "id"}
    form = requests.get(url, headers=headers, timeout=60)
    cookies = dict(form.cookies)
    answer = requests.post(url, data={**fields, token_field: TOKEN.search(form.text).group(1)}, timeout=60,
                           allow_redirects=False, headers={
                               **headers, "Referer": "https://" + url.split("://", 1)[1],
                               "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    cookies.update(answer.cookies)
    if answer.status_code not in (302, 303) or not all(name in cookies for name in names):
        sys.exit(f"could not log in at {url}: status {answer.status_code}")
    return {"address": address, "cookies": {name: cookies[name] for name in names}}


def found(helpdesk_port: int, tanggap_port: int, sessions: dict, slug: str, queue: int, word: str) -> str:
    """What each filtered search finds, asked once before the runs: both should find the same complaints."""
    def get(port: int, path: str, session: dict) -> requests.Response:
        cookies = "; ".join(f"{k}={v}" for k, v in session["cookies"].items())
        return requests.get(f"http://127.0.0.1:{port}{path}", timeout=120, allow_redirects=False, headers={
            "X-Forwarded-Proto": "https", "X-Forwarded-For": session["address"], "Cookie": cookies})

    page = get(helpdesk_port, f"/helpdesk/tickets/?queue={queue}&q={word}&sort=created&sortreverse=on",
               sessions["helpdesk"][0])
    table = re.search(r'"url": "(/helpdesk/datatables_ticket_list/[^"]+)"', page.text)
    helpdesk = get(helpdesk_port, table.group(1) + "?draw=1&start=0&length=25", sessions["helpdesk"][0]).json() \
        if table else {}
    tanggap = get(tanggap_port, f"/{slug}/staff/complaints/?tab=all&component=time&sort=newest&q={word}",
                  sessions["Tanggap"][0])
    shown = len(re.findall(r'<td><a href="[^"]+/staff/complaints/[^"]+">', tanggap.text))
    caption = re.search(r"<caption[^>]*>([^<]+)</caption>", tanggap.text)  # the table's count, for screen readers
    return (f"filtered search for {word!r}: the helpdesk finds {helpdesk.get('recordsFiltered', '?')} tickets "
            f"(shows {len(helpdesk.get('data', []))}); Tanggap answers {tanggap.status_code}, shows {shown} "
            f"complaints ({caption.group(1).strip() if caption else 'no count'})")


def flush(url: str) -> None:
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def drop_roles(base: str) -> None:
    """The two roles, unless a database the harness did not make still grants them something."""
    with psycopg.connect(base, autocommit=True) as admin:
        for role in (APP_ROLE, CROSS_ROLE):
            try:
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')
            except psycopg.errors.DependentObjectsStillExist as still:
                print(f"role {role} kept: {still.diag.message_detail}", file=sys.stderr)


def db_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def count(url: str, query: str) -> int:
    with psycopg.connect(url) as connection:
        return connection.execute(query, (MARKER,)).fetchone()[0]


def cpu(admin: psycopg.Connection, master: int, database: str) -> tuple[float, float]:
    """CPU seconds so far of the server's gunicorn workers and of the database's backends.

    The backends live as long as their connections, which both servers keep; one that ends
    between two readings takes its time with it (a few milliseconds at worst)."""
    try:
        workers = [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        workers = []
    backends = [row[0] for row in admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,))]
    return _seconds(workers), _seconds(backends)


def _generator_seconds() -> float:
    """CPU seconds so far of the finished children: locust, which shares the two cores with the servers."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def drive(system: str, user: str, port: int, env: dict[str, str], args, prefix: Path) -> dict[str, dict[str, float]]:
    """One scenario on one server: locust, bounded in time; each request's figures by its name.

    From locust's final JSON, written after the users have finished what they were doing
    (``--stop-timeout``), so that every filing answered is counted; its CSV is written every
    few seconds and misses the last ones."""
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(
            [str(LOCUST), "-f", str(PEER / "users.py"), user, "--headless", "--users", str(args.users),
             "--spawn-rate", str(args.users), "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}",
             "--json-file", str(prefix), "--loglevel", "ERROR",
             "--stop-timeout", "30"],  # let every user finish the request it is in: each filing is counted
            env={**os.environ, **env, "BENCH_ACCEPTED": str(prefix.parent / f"accepted_{system}.txt")},
            stdout=log, stderr=subprocess.STDOUT, timeout=args.seconds + 120, check=False)
    try:
        entries = json.loads(Path(f"{prefix}.json").read_text())
    except (OSError, ValueError):
        sys.exit(f"locust wrote no statistics; its output:\n{Path(f'{prefix}.log').read_text()}")
    # Rates over the scenario's whole span (its first request to its last), not each request's
    # own: a filing's POST starts later than its GET, and must not seem the faster for it.
    span = max(max(e["last_request_timestamp"] for e in entries) - min(e["start_time"] for e in entries), 1e-9)
    stats = {}
    for entry in entries:
        times = {int(ms): n for ms, n in entry["response_times"].items()}
        total = entry["num_requests"]
        stats[entry["name"]] = {
            "requests": total, "failures": entry["num_failures"], "rps": total / span,
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95)}
    return stats


def percentile(times: dict[int, int], share: float) -> float:
    """The time within which ``share`` of the requests finished, from locust's histogram of
    (rounded) milliseconds, as locust's own reports read it (locust is not imported here: it
    patches the standard library for gevent as it loads)."""
    total = sum(times.values())
    if not total:
        return float("nan")
    seen = 0
    for milliseconds in sorted(times, reverse=True):
        seen += times[milliseconds]
        if total - seen <= int(total * share):
            return float(milliseconds)
    return 0.0


def summary(stats: dict[str, dict[str, float]]) -> str:
    return "; ".join(f"{name} {stats[name]['requests']:,} req, p50 {stats[name]['p50']:.0f} ms, "
                     f"p95 {stats[name]['p95']:.0f} ms" + (f", {stats[name]['failures']} errors"
                                                            if stats[name]["failures"] else "")
                     for name in sorted(stats))


def report(results: list[dict], stored: dict[str, int], receipts: dict[str, set[str]], args) -> tuple[str, bool]:
    """The issue's table, from the medians over the runs; True as second value on any failure."""
    figures: dict[tuple[str, str], list[float]] = defaultdict(list)
    requests: dict[tuple[str, str, str], list[dict[str, float]]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    accepted: dict[str, int] = defaultdict(int)
    for result in results:
        system, scenario, stats = result["system"], result["scenario"], result["stats"]
        for name, row in stats.items():
            errors[system] += int(row["failures"])
            requests[(scenario, system, name)].append(row)
        if scenario == "filing":
            post = stats.get("form POST", {"requests": 0, "failures": 0, "rps": 0.0})
            filed = int(post["requests"] - post["failures"])
            accepted[system] += filed
            figures[(system, "rate")].append(post["rps"] * filed / max(1, post["requests"]))  # accepted only
            for label, name in (("get", "form GET (CSRF token)"), ("post", "form POST")):
                for percent in ("p50", "p95"):
                    figures[(system, f"{label} {percent}")].append(stats.get(name, {}).get(percent, float("nan")))
            figures[(system, "workers")].append(result["workers"] * 1000 / max(1, filed))
            figures[(system, "postgres")].append(result["postgres"] * 1000 / max(1, filed))
            figures[(system, "generator")].append(result["generator"] * 1000 / max(1, filed))
        else:
            views = stats.get("inbox view", {"requests": 0})["requests"]
            for part in ("workers", "postgres", "generator"):
                figures[(system, f"{scenario} {part}")].append(result[part] * 1000 / max(1, views))
            for percent in ("p50", "p95"):
                figures[(system, f"{scenario} {percent}")].append(stats.get("inbox view", {}).get(percent, float("nan")))
    median = {key: statistics.median(values) for key, values in figures.items()}

    def cell(key: str, unit: str = " ms", digits: int = 0) -> tuple[str, str, str]:
        helpdesk, tanggap = median[("helpdesk", key)], median[("Tanggap", key)]
        ratio = f"{tanggap / helpdesk:.2f}" if helpdesk else "-"
        return f"{helpdesk:,.{digits}f}{unit}", f"{tanggap:,.{digits}f}{unit}", ratio

    def pair(first: str, second: str) -> str:
        a, b = cell(first), cell(second)
        return (f"| {a[0].removesuffix(' ms')} / {b[0]} | {a[1].removesuffix(' ms')} / {b[1]} | "
                f"{a[2]} / {b[2]} |")

    def view_cpu(scenario: str) -> str:
        """helpdesk's three figures, then Tanggap's, then their ratios, each as "a / b / c"."""
        parts = [cell(f"{scenario} {part}", "", 1) for part in ("workers", "postgres", "generator")]
        return " | ".join(" / ".join(part[column] for part in parts) for column in range(3))

    rate = cell("rate", "", 1)
    floor = []
    if (FLOOR, "rate") in median:  # in Tanggap's column, against the helpdesk's
        helpdesk = median[("helpdesk", "rate")]
        floor = [f"| the floor: Flask alone, nothing behind the form (`--floor`), complaints/s | {helpdesk:,.1f} | "
                 f"{median[(FLOOR, 'rate')]:,.1f} | **{median[(FLOOR, 'rate')] / helpdesk:.2f}** |",
                 f"| the floor's CPU per filing, app workers / locust | {median[('helpdesk', 'workers')]:,.1f} / "
                 f"{median[('helpdesk', 'generator')]:,.1f} ms | {median[(FLOOR, 'workers')]:,.1f} / "
                 f"{median[(FLOOR, 'generator')]:,.1f} ms | |"]
    lines = [
        f"{args.complaints:,} complaints (tickets) in each database, {args.workers} gunicorn sync workers each, "
        f"{args.users} locust users, {args.seconds} s per scenario, medians of {args.runs} interleaved run(s) "
        f"(`bench/peer/compare.py`, {clock.now():%Y-%m-%d}):",
        "",
        "| | helpdesk | Tanggap | Tanggap / helpdesk |",
        "|---|---|---|---|",
        f"| public filing (GET form + POST), complaints/s | {rate[0]} | {rate[1]} | **{rate[2]}** |",
        *floor,
        "| form GET p50 / p95 " + pair("get p50", "get p95"),
        "| form POST p50 / p95 " + pair("post p50", "post p95"),
        "| staff inbox, default view p50 / p95 " + pair("inbox p50", "inbox p95"),
        "| staff inbox, filtered + search p50 / p95 " + pair("search p50", "search p95"),
        "| CPU per filing, app workers | {} | {} | {} |".format(*cell("workers", " ms", 1)),
        "| CPU per filing, PostgreSQL backends | {} | {} | {} |".format(*cell("postgres", " ms", 1)),
        "| CPU per filing, load generator (locust) | {} | {} | {} |".format(*cell("generator", " ms", 1)),
        *(f"| CPU per {scenario} view, app workers / PostgreSQL / locust (ms) | {view_cpu(scenario)} |"
          for scenario in ("inbox", "search")),
        "",
        f"Search: `{args.search}`; the helpdesk's inbox view is its list page and its table's JSON, timed "
        "together. Every request (medians over the runs):",
        "",
        "| scenario | server | request | requests | errors | req/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (scenario, system, name), rows in requests.items():
        lines.append(
            f"| {scenario} | {system} | {name} | {sum(r['requests'] for r in rows):,.0f} | "
            f"{sum(r['failures'] for r in rows):.0f} | {statistics.median(r['rps'] for r in rows):.1f} | "
            f"{statistics.median(r['p50'] for r in rows):,.0f} | {statistics.median(r['p95'] for r in rows):,.0f} |")
    lines.append("")
    failed = False
    for system in (*SYSTEMS, FLOOR) if floor else SYSTEMS:
        kept = len(receipts[system])
        same = accepted[system] == kept == stored.get(system, kept)  # the floor keeps nothing to count
        failed |= errors[system] > 0 or not same or not accepted[system]
        database = f", in the database afterwards {stored[system]:,}" if system in stored else " (no database)"
        lines.append(f"- {system}: {errors[system]} errors; filings accepted by locust {accepted[system]:,}, "
                     f"receipts kept {kept:,}{database}: " + ("all counted" if same else "**MISMATCH**"))
    return "\n".join(lines) + "\n", failed


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as interruption:  # raised after the clean-up, which ran on the way out
        sys.exit(f"interrupted ({interruption or 'Ctrl-C'}): servers stopped, databases and roles dropped")
