"""A web worker's memory over 10,000 requests: the resident set (RSS) of one gunicorn worker,
in production mode on PostgreSQL as the app's own role, with Redis, sampled as it serves.

The worker is never replaced (no ``max_requests``), so what is measured is its growth, not a
restart's. Two clients take turns at what a day brings: citizens fetching the public form
and filing it (one in five), each from an address of its own; leaders paging their inbox,
searching it, and opening a complaint. Reports RSS after the warm-up and at each step, the
growth, and the requests that failed (there must be none).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/memory.py --requests 10000
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from harness import database_url  # first: puts the package on the path
from load import APP_ROLE, CROSS_ROLE, prepare, serve

from tanggap import clock
from tests.deploy.clients import Citizen, complaint_fields, multipart
from tests.throwaway import throwaway_app

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
NUMBER = re.compile(r'href="(/[a-z0-9-]+/staff/complaints/[A-Z]+-\d{4}-\d{6})"')


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def worker_of(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    sys.exit("gunicorn started no worker")


class Client:
    """One person at a time: a citizen filing, or a leader reading, behind the pretend proxy."""

    def __init__(self, port: int, leader: str, password: str) -> None:
        self.port, self.failures = port, 0
        self.leader = Citizen(port, headers=self._forwarded())
        page = self.leader.request("GET", "/auth/login")[2].decode()
        status, _, _ = self.leader.request("POST", "/auth/login", urllib.parse.urlencode(
            {"csrf_token": TOKEN.search(page).group(1), "email": leader, "password": password}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            sys.exit(f"{leader} could not log in ({status})")
        self.office = leader.split("@")[0].split(".", 1)[1]
        self.occurred = (clock.office_today("Asia/Jakarta") - timedelta(days=1)).isoformat()

    def _forwarded(self) -> dict[str, str]:
        address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}

    def _check(self, status: int, wanted: int = 200) -> None:
        if status != wanted:
            self.failures += 1

    def file(self) -> int:
        citizen = Citizen(self.port, headers=self._forwarded())
        page = f"/{self.office}/pengaduan/baru"
        status, _, form = citizen.request("GET", page)
        self._check(status)
        html = form.decode()
        body, kind = multipart(complaint_fields(TOKEN.search(html).group(1), KEY.search(html).group(1), self.occurred),
                               [])
        self._check(citizen.request("POST", page, body, {"Content-Type": kind})[0], 303)
        return 2

    def read(self) -> int:
        inbox = f"/{self.office}/staff/complaints/"
        status, _, page = self.leader.request("GET", inbox + random.choice(
            ["", "?tab=all&sort=newest&page=2", "?tab=all&q=terlambat", "?tab=overdue"]))
        self._check(status)
        found = NUMBER.findall(page.decode())
        if found:
            self._check(self.leader.request("GET", random.choice(found))[0])
            return 2
        return 1

    def step(self) -> int:
        return self.file() if random.random() < 0.2 else self.read()


def drive(clients: list[Client], total: int, done: list[int], stop: threading.Event) -> None:
    def run(client: Client) -> None:
        while not stop.is_set() and done[0] < total:
            served = client.step()
            with lock:
                done[0] += served

    lock = threading.Lock()
    threads = [threading.Thread(target=run, args=(client,), daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--tenants", type=int, default=5)
    args = parser.parse_args()
    base = database_url()
    args.workers = 1
    with throwaway_app(base) as owner, TemporaryDirectory() as scratch:
        setting = prepare(owner, args)
        plain = owner.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://", 1)
        server, port = serve(plain.replace("://postgres@", f"://{APP_ROLE}@", 1),
                             plain.replace("://postgres@", f"://{CROSS_ROLE}@", 1), setting, 1, Path(scratch))
        try:
            worker = worker_of(server.pid)
            leaders = [name for name in setting["BENCH_LEADERS"].split(",") if name]
            clients = [Client(port, leaders[index % len(leaders)], setting["BENCH_PASSWORD"]) for index in range(2)]
            done, stop = [0], threading.Event()
            drive(clients, 200, done, stop)  # warm-up: every page and template once
            print(f"after the warm-up ({done[0]} requests): {rss_mb(worker):.1f} MB", flush=True)
            start, samples, started = rss_mb(worker), [], time.perf_counter()
            for mark in sorted({step for step in (1_000, 2_000, 5_000) if step < args.requests} | {args.requests}):
                drive(clients, mark, done, stop)
                samples.append((done[0], rss_mb(worker)))
                print(f"after {done[0]:,} requests: {samples[-1][1]:.1f} MB "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    failures = sum(client.failures for client in clients)
    final = samples[-1][1]
    print(f"\nworker RSS: {start:.1f} MB after the warm-up, {final:.1f} MB after {samples[-1][0]:,} requests "
          f"(+{final - start:.1f} MB); target under 150 MB: {'met' if final < 150 else 'MISSED'}")
    print(f"failed requests: {failures}")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
