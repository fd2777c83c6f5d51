"""Who the load test plays: a bare-endpoint caller (the baseline), citizens filing the public
form (fetching it for its CSRF token first) and leaders paging their inbox.

Each citizen comes from an address of their own (``X-Forwarded-For`` behind the one proxy
the server trusts), as on the internet, so the per-address limits count but do not bind.
Cookies are carried by hand: in production they are ``Secure`` and this runs on plain
HTTP behind a pretend TLS proxy (``X-Forwarded-Proto: https``).
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, constant, events, task

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
OFFICES = os.environ.get("BENCH_OFFICES", "disdikbud-metro").split(",")
LEADERS = os.environ.get("BENCH_LEADERS", "").split(",")
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password")
MARKER = "BENCH-LOAD"
ACCEPTED: list[str] = []


@events.quitting.add_listener
def _write_accepted(environment, **kwargs) -> None:
    if os.environ.get("BENCH_ACCEPTED") and ACCEPTED:
        with open(os.environ["BENCH_ACCEPTED"], "a") as out:
            out.write("\n".join(ACCEPTED) + "\n")


def _address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class Visitor(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.address = _address()
        self.cookie = ""

    def headers(self, page: str | None = None) -> dict[str, str]:
        found = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https", "Accept-Language": "id"}
        if page:  # over HTTPS, Flask-WTF wants the form's page as the referrer, as browsers send it
            found["Referer"] = "https://" + self.host.split("://", 1)[1].rstrip("/") + page
        if self.cookie:
            found["Cookie"] = f"session={self.cookie}"
        return found

    def keep_cookie(self, response) -> None:
        self.cookie = response.cookies.get("session") or self.cookie
        self.client.cookies.clear()


class BareUser(Visitor):
    @task
    def bare(self) -> None:
        self.client.get("/_bench/bare", headers=self.headers(), name="bare indexed SELECT")


class CitizenUser(Visitor):
    @task
    def file(self) -> None:
        self.address, self.cookie = _address(), ""
        office = random.choice(OFFICES)
        page = f"/{office}/pengaduan/baru"
        form = self.client.get(page, headers=self.headers(), name="form GET (CSRF token)")
        self.keep_cookie(form)
        token, key = TOKEN.search(form.text), KEY.search(form.text)
        if not (token and key):
            return
        with self.client.post(page, headers=self.headers(page), allow_redirects=False, name="form POST",
                              catch_response=True, data={
                                  "csrf_token": token.group(1), "submission_key": key.group(1), "components": "time",
                                  "description": f"{MARKER}: layanan selesai jauh melewati jangka waktu standar.",
                                  "occurred_on": "2026-11-20", "service": "Legalisir", "unit": "",
                                  "waited_amount": "3", "waited_unit": "days", "name": "Warga Uji Beban",
                                  "email": "beban@example.org", "consent": "y"}) as answer:
            if answer.status_code != 303:
                answer.failure(f"status {answer.status_code}")
            else:  # the receipt's address carries the tracking code: keep it, to find it in the database
                ACCEPTED.append(answer.headers["Location"].rsplit("/pengaduan/", 1)[1].split("/")[0])
        self.client.cookies.clear()


class LeaderUser(Visitor):
    def on_start(self) -> None:
        super().on_start()
        self.leader = random.choice(LEADERS)
        self.office = self.leader.split("@")[0].split(".", 1)[1]
        login = self.client.get("/auth/login", headers=self.headers(), name="login GET")
        self.keep_cookie(login)
        answer = self.client.post("/auth/login", headers=self.headers("/auth/login"), allow_redirects=False,
                                  name="login POST",
                                  data={"csrf_token": TOKEN.search(login.text).group(1), "email": self.leader,
                                        "password": PASSWORD})
        self.keep_cookie(answer)

    @task(3)
    def inbox(self) -> None:
        with self.client.get(f"/{self.office}/staff/complaints/", headers=self.headers(), name="inbox (open)",
                             allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
        self.client.cookies.clear()

    @task(1)
    def inbox_search(self) -> None:
        with self.client.get(f"/{self.office}/staff/complaints/?tab=all&component=time&sort=newest&page=3",
                             headers=self.headers(), name="inbox (all, one component, page 3)", allow_redirects=False,
                             catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
        self.client.cookies.clear()
