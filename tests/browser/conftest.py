"""A live server on the embedded default and a headless Chromium to drive it.

The server runs the real app in a thread on its own migrated SQLite database with the
shipped offices and demo accounts loaded, exactly as ``make run`` prepares it.
Screenshots go to ``artifacts/screenshots/`` (kept by CI); a failing test saves the page.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tanggap import create_app
from tanggap.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
DEMO_PASSWORD = "tanggap-demo"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's instance folder; its ``mail/`` is where the embedded default's mail goes."""
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="session")
def live_app(live_instance: Path) -> Iterator[Flask]:
    """The live server's app, for a test that runs what the cron would (a job) on its database."""
    instance = live_instance
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'live.db'}",
        "SECRET_KEY": "browser-tests",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SUPPRESS_SEND": True,
        "MAIL_FOLDER": str(instance / "mail"),
        # The embedded default, as `make run` serves it: jobs inline, whatever REDIS_URL says.
        "REDIS_URL": None,
        "JOBS_INLINE": True,
    })
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # As `make run` does: links in mail, and the demo's, lead to where the server answers.
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    runner = app.test_cli_runner()
    for args in (["tenants", "load", str(ROOT / "tenants")], ["demo", "--password", DEMO_PASSWORD]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    app.extensions["tanggap.live_server"] = server
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = live_app.extensions["tanggap.live_server"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # CI sets TANGGAP_REQUIRE_BROWSER: there a missing browser is a failure, not a skip.
    required = bool(os.environ.get("TANGGAP_REQUIRE_BROWSER"))
    missing = None
    try:
        from playwright import sync_api
    except ImportError:
        missing = "playwright is not installed"
    if not Path(CHROMIUM).exists():
        missing = "Debian's chromium is not installed"
    if missing:
        pytest.fail(missing) if required else pytest.skip(missing)
    for stale in SCREENSHOTS.glob("FAILED-*.png"):  # only this run's failures are left to look at
        stale.unlink()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_factory(browser, request):
    """New pages (desktop or phone-sized) that save a screenshot when the test fails.

    Whatever the journey, the content security policy must have nothing to refuse: an
    inline style or script it blocks is a page that works differently than it was written,
    so any refusal on any page fails the test that caused it.
    """
    pages = []
    refused: list[str] = []

    def new_page(*, phone: bool = False, locale: str = "id"):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(viewport=viewport, locale=locale,
                                      extra_http_headers={"Accept-Language": locale})
        page = context.new_page()
        page.on("console", lambda message, page=page: refused.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text else None)
        pages.append(page)
        return page

    yield new_page
    failed = getattr(request.node, "rep_call", None)
    for index, page in enumerate(pages):
        if failed is not None and failed.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}-{index}.png"), full_page=True)
        page.context.close()
    assert not refused, "the content security policy refused something:\n" + "\n".join(refused[:5])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server: str, email: str) -> None:
    """Log in through the form, as a person would."""
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
