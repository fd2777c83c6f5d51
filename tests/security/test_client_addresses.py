"""Client addresses come from the trusted proxy chain only, and log-in limits slow a guesser
down without letting anyone lock an officer out: tested with rotating X-Forwarded-For, as an
attacker who reaches the app past the proxy, or through it from many addresses, would send it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.extensions import db

PROXY = "127.0.0.1"        # the reverse proxy, a trusted peer by default
OUTSIDER = "203.0.113.7"   # a client that connects to the app directly


@pytest.fixture
def behind_one_proxy(app, monkeypatch):
    monkeypatch.setitem(app.config, "PROXY_COUNT", 1)


def _as(peer: str, claimed: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": peer}, "headers": {"X-Forwarded-For": claimed, "Accept-Language": "en"}}


def test_gunicorn_listens_on_the_proxy_s_side_and_trusts_no_one_else(monkeypatch):
    root = Path(__file__).resolve().parents[2]
    web = next(line for line in (root / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "--config deploy/gunicorn.conf.py" in web and "--bind" not in web
    for name in ("GUNICORN_BIND", "TANGGAP_BIND", "PORT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    settings: dict = {}
    exec(compile((root / "deploy" / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), settings)
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["forwarded_allow_ips"] == "127.0.0.1"


def test_behind_nginx_on_a_unix_socket_the_client_is_the_one_nginx_names(behind_one_proxy, metro, new_visitor):
    """gunicorn gives a unix socket's peer as an empty address: only nginx on this host can be it."""
    client = new_visitor()
    answers = [client.get(f"/disdikbud-metro/pengaduan/GUESS{n:04d}", **_as("", f"198.51.100.{n}")).status_code
               for n in range(31)]
    assert answers == [404] * 31, "each citizen behind the socket has a limit of their own"


def test_rotating_x_forwarded_for_past_the_proxy_does_not_escape_the_tracking_limit(behind_one_proxy, metro,
                                                                                   new_visitor):
    client = new_visitor()
    answers = [client.get(f"/disdikbud-metro/pengaduan/GUESS{n:04d}", **_as(OUTSIDER, f"198.51.100.{n}")).status_code
               for n in range(31)]
    assert answers[:30] == [404] * 30 and answers[30] == 429


def test_through_the_proxy_each_client_has_its_own_tracking_limit(behind_one_proxy, metro, new_visitor):
    client = new_visitor()
    answers = [client.get(f"/disdikbud-metro/pengaduan/GUESS{n:04d}", **_as(PROXY, f"198.51.100.{n}")).status_code
               for n in range(31)]
    assert set(answers) == {404}


def test_the_audit_log_keeps_the_address_the_proxy_chain_gives(behind_one_proxy, metro, new_visitor, make, ctx):
    for peer, claimed in ((PROXY, "198.51.100.20"), (OUTSIDER, "198.51.100.21")):
        visitor = new_visitor()
        assert visitor.submit("/auth/login", {"email": metro.officer.email, "password": make.PASSWORD},
                              **_as(peer, claimed)).status_code == 302
    with ctx():
        ips = db.session.execute(select(AuditLog.ip).where(AuditLog.action == "auth.login")
                                 .order_by(AuditLog.id)).scalars().all()
    assert ips == ["198.51.100.20", OUTSIDER]


def _guess(new_visitor, email: str, peer: str, claimed: str, password: str = "salah-tebak"):
    return new_visitor().submit("/auth/login", {"email": email, "password": password}, **_as(peer, claimed))


def test_guessing_from_one_address_is_slowed_but_does_not_lock_the_owner_out(behind_one_proxy, metro, make,
                                                                             new_visitor):
    for n in range(5):
        assert _guess(new_visitor, metro.officer.email, OUTSIDER, f"198.51.100.{n}").status_code == 422
    assert _guess(new_visitor, metro.officer.email, OUTSIDER, "198.51.100.99").status_code == 429
    # The owner, from an address of their own through the proxy, is not locked out.
    assert _guess(new_visitor, metro.officer.email, PROXY, "192.0.2.10", make.PASSWORD).status_code == 302


def test_an_attacker_rotating_addresses_is_throttled_and_the_owner_s_browser_still_gets_in(
        behind_one_proxy, metro, make, new_visitor):
    owner = new_visitor()
    assert owner.submit("/auth/login", {"email": metro.officer.email, "password": make.PASSWORD},
                        **_as(PROXY, "192.0.2.10")).status_code == 302
    owner.client.delete_cookie("session")  # logged out; the browser stays known
    answers = [_guess(new_visitor, metro.officer.email, PROXY, f"198.51.100.{n}").status_code for n in range(12)]
    assert answers[:10] == [422] * 10 and set(answers[10:]) == {429}
    assert _guess(new_visitor, metro.officer.email, PROXY, "198.51.100.200", make.PASSWORD).status_code == 429
    # The owner's own browser, known from an earlier log-in, is let through.
    back = owner.submit("/auth/login", {"email": metro.officer.email, "password": make.PASSWORD},
                        **_as(PROXY, "192.0.2.11"))
    assert back.status_code == 302
