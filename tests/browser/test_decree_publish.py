"""Publishing a decree from a date in the past, in a real browser: the admin is asked to
confirm and give a reason, and the printed report for the complaints filed before still
names the decree they were judged under.

It runs on a server of its own, as ``make run`` prepares one: publishing a new version of
Metro's decree would change what the other journeys on the shared server see.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tanggap import create_app
from tanggap.extensions import db

from .conftest import DEMO_PASSWORD, ROOT, login, shoot

SLUG = "disdikbud-metro"
OLD, NEW = "002.b/KPTS/D-1/2024", "003/KPTS/D-1/2024"
BACKDATED = "2023-12-01"  # before today, and before version 1's 4 January 2024


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    instance = tmp_path_factory.mktemp("publish")
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'live.db'}", "SECRET_KEY": "browser-tests",
        "RATELIMIT_STORAGE_URI": "memory://", "MAIL_SUPPRESS_SEND": True, "REDIS_URL": None, "JOBS_INLINE": True,
    })
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    for args in (["tenants", "load", str(ROOT / "tenants")], ["demo", "--password", DEMO_PASSWORD]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def _ask_to_publish(page, server: str, version: str) -> None:
    """From the draft's page, publish from a date in the past: the answer is the question."""
    page.goto(f"{server}/{SLUG}/staff/decree/{version}/edit")
    page.fill("#effective_from", BACKDATED)
    page.click("form[action$='/publish'] button[type=submit]")
    page.wait_for_selector("#backdating")


def test_a_backdated_publication_is_confirmed_with_a_reason_and_old_complaints_keep_their_decree(
        own_server, page_factory):
    admin = page_factory(locale="id")
    login(admin, own_server, "admin.disdikbud@tanggap.demo")
    admin.goto(f"{own_server}/{SLUG}/staff/decree/")
    admin.click("form[action$='/staff/decree/drafts'] button")
    admin.wait_for_url("**/edit")
    version = admin.url.rstrip("/").split("/")[-2]
    admin.fill("[name='decree.number']", NEW)
    admin.click("form.decree-editor > button[type=submit]")
    admin.wait_for_selector(".alert-success")
    assert admin.input_value("[name='decree.number']") == NEW

    _ask_to_publish(admin, own_server, version)
    warning = admin.inner_text("#backdating")
    assert "Versi ini akan berlaku sejak tanggal yang lebih awal" in warning
    assert "Versi 1 (nomor 002.b/KPTS/D-1/2024) berlaku mulai 4 Januari 2024" in warning
    assert "tetap dinilai berdasarkan keputusan yang berlaku saat itu (versi 1" in warning
    assert admin.input_value("#effective_from") == BACKDATED
    assert not admin.locator(".invalid-feedback").count()  # asked, not scolded
    shoot(admin, "decree-publish-confirm-disdikbud-metro-id")

    english = page_factory(locale="en")
    login(english, own_server, "admin.disdikbud@tanggap.demo")
    english.goto(f"{own_server}/locale/en")
    _ask_to_publish(english, own_server, version)
    assert "This version would take effect from an earlier date" in english.inner_text("#backdating")
    assert "Version 1 (number 002.b/KPTS/D-1/2024) takes effect from January 4, 2024" in english.inner_text("#backdating")
    shoot(english, "decree-publish-confirm-disdikbud-metro-en")

    admin.fill("#reason", "lupa")
    admin.click("form.publish-form button[type=submit]")  # without ticking, and too short a reason
    admin.wait_for_selector("#reason-error")
    assert "Centang kotak ini" in admin.inner_text("#confirm_backdated-error")
    assert "Jelaskan dalam satu kalimat" in admin.inner_text("#reason-error")
    assert admin.input_value("#reason") == "lupa" and admin.input_value("#effective_from") == BACKDATED
    shoot(admin, "decree-publish-refused-disdikbud-metro-id")

    admin.check("#confirm_backdated")
    admin.fill("#reason", "Keputusan ditandatangani 1 Desember 2023, dokumennya baru diterima bagian TI.")
    admin.click("form.publish-form button[type=submit]")
    admin.wait_for_url(f"**/staff/decree/{version}")
    assert f"Versi {version} telah diterbitkan." in admin.inner_text("#flashes")
    admin.goto(f"{own_server}/{SLUG}/staff/decree/")
    assert f"nomor {NEW}, versi {version}" in admin.inner_text("main")
    shoot(admin, "decree-published-backdated-disdikbud-metro-id")

    # The demo's complaints were filed under version 1; the printed report still says so.
    admin.goto(f"{own_server}/{SLUG}/staff/reports/print")
    assert admin.inner_text("#decrees") == f"Berdasarkan keputusan {OLD}."
    assert NEW not in admin.inner_text("main")
    assert OLD in admin.inner_text("#table-decrees")
    shoot(admin, "report-print-after-backdated-decree-disdikbud-metro-id")

    admin.goto(f"{own_server}/{SLUG}/staff/audit")
    assert "Keputusan ditandatangani 1 Desember 2023" in admin.inner_text("main")
