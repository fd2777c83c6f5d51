"""The application starts, on the configured database, and refuses unsafe production settings."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tanggap import create_app
from tanggap.config import ConfigError, Settings
from tanggap.extensions import db


def test_production_without_an_instance_folder_stops_start_up(monkeypatch):
    """An installed package has no checkout: production names its folder, never guesses one."""
    monkeypatch.setenv("TANGGAP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("TANGGAP_AUDIT_KEY", "k" * 40)
    monkeypatch.delenv("TANGGAP_INSTANCE_PATH", raising=False)
    with pytest.raises(ConfigError, match="TANGGAP_INSTANCE_PATH is not set"):
        create_app()


def test_production_without_secret_key_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("TANGGAP_ENV", "production")
    monkeypatch.setenv("TANGGAP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_without_an_audit_key_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("TANGGAP_ENV", "production")
    monkeypatch.setenv("TANGGAP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("TANGGAP_AUDIT_KEY", raising=False)
    with pytest.raises(ConfigError, match="TANGGAP_AUDIT_KEY is not set"):
        create_app()


def test_production_on_postgresql_without_the_cross_office_role_stops_start_up(tmp_path):
    settings = Settings.from_environ({"TANGGAP_ENV": "production", "SECRET_KEY": "x" * 40, "TANGGAP_AUDIT_KEY": "k" * 40,
                                      "DATABASE_URL": "postgresql://tanggap_app@db/tanggap"})
    with pytest.raises(ConfigError, match="TANGGAP_CROSS_DATABASE_URL is not set"):
        settings.as_flask_config(tmp_path)
    crossing = Settings.from_environ({"TANGGAP_ENV": "production", "SECRET_KEY": "x" * 40, "TANGGAP_AUDIT_KEY": "k" * 40,
                                      "DATABASE_URL": "postgresql://tanggap_app@db/tanggap",
                                      "TANGGAP_CROSS_DATABASE_URL": "postgresql://tanggap_reader@db/tanggap"})
    assert crossing.as_flask_config(tmp_path)["SQLALCHEMY_BINDS"] == {"cross": "postgresql+psycopg://tanggap_reader@db/tanggap"}


def test_production_with_secret_key_uses_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("TANGGAP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("TANGGAP_AUDIT_KEY", "k" * 40)
    monkeypatch.setenv("TANGGAP_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["FORCE_HTTPS"] is True


def test_embedded_default_is_sqlite_in_the_instance_folder_with_inline_jobs(tmp_path):
    config = Settings.from_environ({"TANGGAP_INSTANCE_PATH": str(tmp_path)}).as_flask_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tanggap.db'}"
    assert config["JOBS_INLINE"] is True
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_database_url_in_heroku_spelling_uses_psycopg(tmp_path):
    config = Settings.from_environ({"DATABASE_URL": "postgres://u@h/db"}).as_flask_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_app_answers_on_its_database(app, ctx, visitor):
    with ctx():
        assert db.session.execute(text("SELECT 1")).scalar_one() == 1
    response = visitor.get("/")
    assert response.status_code == 200
    assert "Tanggap" in response.get_data(as_text=True)


def test_security_headers_are_set(visitor):
    response = visitor.get("/auth/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_static_assets_are_served_locally(visitor):
    for path in ("/static/vendor/htmx.min.js", "/static/vendor/bootstrap.min.css", "/static/css/tanggap.css"):
        assert visitor.get(path).status_code == 200, path


def test_the_favicon_answers_and_every_page_links_it(visitor, make):
    make.office_with_staff("dinas-alpha")
    response = visitor.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"  # an ICO
    assert response.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    svg = visitor.get("/static/img/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    for page in ("/", "/auth/login", "/dinas-alpha/"):
        # Under its fingerprinted name (assets.py), like every static file.
        assert re.search(r'rel="icon" href="/static/img/favicon\.[0-9a-f]{12}\.svg"',
                         visitor.get(page).get_data(as_text=True)), page
