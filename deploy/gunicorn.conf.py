"""gunicorn's settings for Tanggap's web process (``gunicorn -c deploy/gunicorn.conf.py wsgi:app``).

Everything a provincial IT office would set per host comes from the environment, so the
same file serves the Procfile, the systemd unit and a container:

- ``GUNICORN_BIND``: where to listen, e.g. ``unix:/run/tanggap/web.sock`` behind nginx on
  the same host; else ``TANGGAP_BIND:PORT`` (loopback by default: only the proxy talks
  to gunicorn).
- ``WEB_CONCURRENCY``: worker processes; by default two per CPU plus one.
- ``FORWARDED_ALLOW_IPS``: the proxy's addresses, whose ``X-Forwarded-Proto`` gunicorn
  believes (the app believes their ``X-Forwarded-For`` through ``TANGGAP_TRUSTED_PROXIES``).
- ``PROMETHEUS_MULTIPROC_DIR``: a folder the workers share for ``/metrics``.
"""

import multiprocessing
import os
import shutil
from pathlib import Path

bind = [os.environ.get("GUNICORN_BIND") or f"{os.environ.get('TANGGAP_BIND', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request that takes longer than this is a bug or an attack; the worker is replaced.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, at staggered moments, so slow leaks never grow.
max_requests = 1000
max_requests_jitter = 100
# The app is built once, in the master, and each worker is a fork of it (tanggap.prefork):
# a replaced worker serves at once instead of spending a second of CPU building the app and
# compiling its templates again. New code or settings therefore need a restart of the
# service; a reload (HUP) only replaces the workers.
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One line per request, with the id the app answered with (the one in its own logs).
accesslog = "-"
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
)
errorlog = "-"


def on_starting(server):
    """Start with an empty metrics folder: files of a previous run's workers would be summed."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def when_ready(server):
    """The master has built the app (``preload_app``): compile its templates and settle its
    heap once, for every worker it will fork (tanggap.prefork)."""
    from tanggap import prefork

    prefork.ready(server.app.wsgi())


def post_fork(server, worker):
    """The worker forgets the database connections it inherited from the master (tanggap.prefork)."""
    from tanggap import prefork

    prefork.forked(server.app.wsgi())


def child_exit(server, worker):
    """A replaced worker's gauges stop counting (prometheus_client's multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
