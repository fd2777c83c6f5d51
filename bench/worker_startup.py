"""A worker's cost per job: RQ's own worker against ``tanggap.jobs.AppWorker``, side by side.

RQ forks a work horse per job. With RQ's own worker each horse builds the app before its
job runs; ``AppWorker`` builds it once in the parent. Both run the real deadline sweep job
(an empty embedded database, so the job itself is nearly free) from a burst queue:

    per job = (wall time for 1 + N jobs - wall time for 1 job) / N

interleaved over several rounds, medians reported with the ratio.

    .venv/bin/python bench/worker_startup.py --jobs 20 --rounds 3
    (needs a Redis: BENCH_REDIS_URL, default redis://127.0.0.1:6379/15, which it empties)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from time import perf_counter  # a stopwatch, not the app's clock
from pathlib import Path

from harness import ROOT  # first: puts the package on the path

from redis import Redis
from rq import Queue

from tanggap.alerts.tasks import sweep_job

BIN = Path(sys.executable).parent
CLASSES = {"rq.Worker": None, "tanggap.jobs.AppWorker": "tanggap.jobs.AppWorker"}


def timed_burst(env: dict[str, str], worker_class: str | None, jobs: int) -> float:
    redis = Redis.from_url(env["REDIS_URL"])
    redis.flushdb()
    queue = Queue("bench", connection=redis)
    for _ in range(jobs):
        queue.enqueue(sweep_job)
    command = [str(BIN / "rq"), "worker", "--burst", "--url", env["REDIS_URL"], "bench"]
    if worker_class:
        command[2:2] = ["--worker-class", worker_class]
    started = perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    elapsed = perf_counter() - started
    assert queue.failed_job_registry.count == 0, "a job failed"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "platform"), "TANGGAP_INSTANCE_PATH": instance,
               "DATABASE_URL": f"sqlite:///{instance}/bench.db",
               "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")}
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        per_job: dict[str, list[float]] = {name: [] for name in CLASSES}
        for _ in range(options.rounds):
            for name, worker_class in CLASSES.items():
                one = timed_burst(env, worker_class, 1)
                many = timed_burst(env, worker_class, 1 + options.jobs)
                per_job[name].append((many - one) / options.jobs)
    medians = {name: statistics.median(times) for name, times in per_job.items()}
    for name, median in medians.items():
        print(f"{name:24} {median * 1000:8.1f} ms per job (median of {options.rounds} rounds)")
    print(f"AppWorker / rq.Worker      {medians['tanggap.jobs.AppWorker'] / medians['rq.Worker']:.2f}")


if __name__ == "__main__":
    main()
