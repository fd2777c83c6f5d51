"""Who bench/peer/compare.py plays, the same on both servers (locust, 127.0.0.1 only):

  citizens  fetch the public form for its CSRF token and file it (Tanggap's are
            bench/locustfile.py's CitizenUser; the helpdesk's file into the queue of the
            missed standard, "time")
  staff     logged in by the harness before the run, open the inbox as it opens, or
            filtered (all statuses, one component, newest first) with a word searched

The helpdesk's ticket list is a page whose table is then fetched as JSON (DataTables, server
side): a browser asks both before anyone sees a ticket, so its "inbox view" is the two
requests one after the other, timed together; Tanggap's is its one page. Both sit behind one
pretend TLS proxy (``X-Forwarded-Proto: https``), so their cookies are ``Secure`` and are
carried by hand over plain HTTP, and the form's page goes as the referrer, as browsers send it.

Every filing answered with the receipt's redirect is kept (its tracking code, or the
helpdesk's ticket id) and written to ``BENCH_ACCEPTED`` when locust stops, to be found in
the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
import time
from pathlib import Path

from locust import task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from locustfile import ACCEPTED, MARKER, OFFICES, CitizenUser, Visitor

__all__ = ["CitizenUser", "FloorCitizen", "HelpdeskCitizen", "HelpdeskInbox", "HelpdeskSearch", "TanggapInbox", "TanggapSearch"]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TABLE = re.compile(r'"url": "(/helpdesk/datatables_ticket_list/[^"]+)"')
#: The words staff search for, in both inboxes (bench/inbox.py's sentences hold it as "Keterlambatan").
WORD = os.environ.get("BENCH_SEARCH", "terlambat")
#: The helpdesk's queue standing for Tanggap's "time" component (helpdesk_site/prepare.py).
QUEUE = os.environ.get("BENCH_HELPDESK_QUEUE", "")
#: Staff sessions the harness logged in before the run, one per user (the address it logged in from,
#: the cookies by name), so that no run spends its seconds hashing passwords.
SESSIONS: list[dict] = json.loads(os.environ.get("BENCH_SESSIONS", "[]"))
_HANDED = itertools.count()
#: What DataTables asks first: the first page of 25, as both inboxes show.
FIRST_PAGE = {"draw": "1", "start": "0", "length": "25", "search[value]": "", "search[regex]": "false"}


class HelpdeskVisitor(Visitor):
    abstract = True

    def on_start(self) -> None:
        self.jar: dict[str, str] = {}

    def headers(self, page: str | None = None) -> dict[str, str]:
        found = {"X-Forwarded-Proto": "https", "Accept-Language": "id"}
        if page:
            found["Referer"] = "https://" + self.host.split("://", 1)[1].rstrip("/") + page
        if self.jar:
            found["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.jar.items())
        return found

    def keep_cookie(self, response) -> None:
        for name in ("csrftoken", "sessionid"):
            if response.cookies.get(name):
                self.jar[name] = response.cookies[name]
        self.client.cookies.clear()


class HelpdeskCitizen(HelpdeskVisitor):
    @task
    def file(self) -> None:
        self.jar = {}
        page = "/helpdesk/tickets/submit/"
        form = self.client.get(page, headers=self.headers(), name="form GET (CSRF token)")
        self.keep_cookie(form)
        token = TOKEN.search(form.text)
        if not token:
            return
        with self.client.post(page, headers=self.headers(page), allow_redirects=False, name="form POST",
                              catch_response=True, data={
                                  "csrfmiddlewaretoken": token.group(1), "queue": QUEUE,
                                  "title": "Layanan melewati jangka waktu",
                                  "body": f"{MARKER}: layanan selesai jauh melewati jangka waktu standar.",
                                  "submitter_email": "beban@example.org"}) as answer:
            found = re.search(r"[?&]ticket=[a-z]+-(\d+)", answer.headers.get("Location", ""))
            if answer.status_code != 302 or not found:
                answer.failure(f"status {answer.status_code}")
            else:
                ACCEPTED.append(found.group(1))
        self.client.cookies.clear()


class HelpdeskStaff(HelpdeskVisitor):
    """The helpdesk's staff account, logged in by the harness."""

    abstract = True

    def on_start(self) -> None:
        super().on_start()
        session = SESSIONS[next(_HANDED) % len(SESSIONS)]
        self.jar = dict(session["cookies"])

    def view(self, query: str) -> None:
        """The list page, then its table's first page: one "inbox view", timed as a whole."""
        started = time.perf_counter()
        failure: Exception | None = None
        size = 0
        with self.client.get(f"/helpdesk/tickets/{query}", headers=self.headers(), name="inbox page",
                             allow_redirects=False, catch_response=True) as page:
            table = TABLE.search(page.text) if page.status_code == 200 else None
            if not table:
                failure = RuntimeError(f"list page: status {page.status_code}")
                page.failure(failure)
        if table:
            with self.client.get(table.group(1), params=FIRST_PAGE, headers=self.headers(), name="inbox data",
                                 allow_redirects=False, catch_response=True) as data:
                if data.status_code != 200 or '"data"' not in data.text:
                    failure = RuntimeError(f"table data: status {data.status_code}")
                    data.failure(failure)
                size = len(page.content) + len(data.content)
        self.environment.events.request.fire(
            request_type="GET", name="inbox view", response_time=(time.perf_counter() - started) * 1000,
            response_length=size, exception=failure, context={}, response=None)
        self.client.cookies.clear()


class HelpdeskInbox(HelpdeskStaff):
    @task
    def default(self) -> None:
        self.view("")


class HelpdeskSearch(HelpdeskStaff):
    @task
    def filtered(self) -> None:
        self.view(f"?queue={QUEUE}&q={WORD}&sort=created&sortreverse=on")


class TanggapStaff(Visitor):
    """The office's leader, logged in by the harness."""

    abstract = True

    def on_start(self) -> None:
        super().on_start()
        session = SESSIONS[next(_HANDED) % len(SESSIONS)]
        self.address, self.cookie = session["address"], session["cookies"]["session"]
        self.office = OFFICES[0]

    def view(self, query: str) -> None:
        with self.client.get(f"/{self.office}/staff/complaints/{query}", headers=self.headers(), name="inbox view",
                             allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
        self.client.cookies.clear()


class TanggapInbox(TanggapStaff):
    @task
    def default(self) -> None:
        self.view("")


class TanggapSearch(TanggapStaff):
    @task
    def filtered(self) -> None:
        self.view(f"?tab=all&component=time&sort=newest&q={WORD}")


class FloorCitizen(CitizenUser):
    """Tanggap's citizen, filing on the floor app (``floor_app.py``): the same requests, told apart by name."""
