"""Tanggap: public-service compensation and sanctions for many government offices.

``create_app`` builds the one Flask application; everything else hangs off it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from . import jobs
from .config import Settings
from .tenancy import domains
from .tenancy.domains import TanggapFlask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application, configured from the environment, then from ``config`` (tests)."""
    settings = Settings.from_environ()
    app = TanggapFlask(__name__, instance_path=str(settings.instance_folder()))
    from .web import DatabaseInteger, DatabaseText

    app.url_map.converters["int"] = DatabaseInteger  # before any route is added
    app.url_map.converters["default"] = app.url_map.converters["string"] = DatabaseText
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(settings.as_flask_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    domains.init_app(app)  # inside the proxy fix: it must see the host the proxy was asked for
    from .web import TrustedProxies

    app.wsgi_app = TrustedProxies(app.wsgi_app, app)  # type: ignore[method-assign]
    from . import logs, observability

    logs.configure(app)
    observability.init_app(app)
    from .auth.tokens import keep_secrets_out_of_logs

    keep_secrets_out_of_logs()

    _init_extensions(app)
    _register_blueprints(app)
    _register_panels(app)

    from . import cli, database

    cli.init_app(app)
    # Last of the app's after-request hooks, so the first to run: each request is one unit of work.
    database.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import assets, filestore, i18n, models, web
    from .auth import permissions, sessions
    from .decrees import duration_words
    from .notifications import outbox
    from .complaints import attachments
    from .extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate
    from .tenancy import resolver, revision, row_security, scoping

    models.load_all()
    db.init_app(app)
    # This app's database listeners, in this order: the office filter on its session, the office
    # declared to PostgreSQL on its engines, the files kept or removed with its transactions
    # (and, last below, the outbox's messages handed over once committed); and the office's
    # revision read again once this transaction has written what it stamps.
    scoping.init_app(app)
    revision.init_app(app)
    row_security.init_app(app)
    attachments.init_app(app)
    filestore.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent / "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    htmx.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    sessions.init_app(app, login_manager)
    resolver.init_app(app)
    i18n.init_app(app)
    duration_words.init_app(app)  # the ``duration`` filter: durations in words, one formatter
    web.init_app(app)
    assets.init_app(app)
    app.context_processor(permissions.template_context)
    outbox.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from .assessments.views import bp as assessments_bp
    from .auth.views import bp as auth_bp
    from .complaints.staff_views import bp as staff_complaints_bp
    from .complaints.citizen_views import bp as citizen_bp
    from .decrees.views import bp as decrees_bp
    from .admin.audit_views import bp as audit_bp
    from .admin.console_views import bp as console_bp
    from .admin.platform_views import bp as platform_bp
    from .admin.settings_views import bp as settings_bp
    from .admin.token_views import bp as tokens_bp
    from .alerts.home_views import page as staff_home_page
    from .alerts.views import bp as alerts_bp
    from .auth.views import HOME_PAGE
    from .letters.views import bp as letters_bp
    from .notifications.views import bp as notifications_bp
    from .reports.inspectorate import bp as inspectorate_bp
    from .reports.public_views import bp as accountability_bp
    from .reports.views import bp as reports_bp
    from .sanctions.unit_views import bp as units_bp
    from .sanctions.views import bp as sanctions_bp

    for blueprint in (auth_bp, audit_bp, decrees_bp, citizen_bp, staff_complaints_bp, assessments_bp, letters_bp, sanctions_bp,
                      units_bp, notifications_bp, alerts_bp, reports_bp, accountability_bp, inspectorate_bp, platform_bp,
                      console_bp, settings_bp, tokens_bp):
        app.register_blueprint(blueprint)
    app.extensions[HOME_PAGE] = staff_home_page

    from . import api, health

    api.init_app(app)
    app.register_blueprint(health.bp)


def _register_panels(app: Flask) -> None:
    """The sections later features add to a complaint's pages, named here and in the order the
    pages show them: the assessment and its package, the officer's sanction, then the letters."""
    from .assessments.panels import PANEL as assessment
    from .complaints import panels
    from .letters.panels import PANEL as letters
    from .sanctions.panels import PANEL as sanctions

    panels.init_app(app, (assessment, sanctions, letters))


# An RQ worker imports a job's module, and so this package, before it runs the job:
# from here on, a job that finds no app makes one with the factory.
jobs.use_app_factory(create_app)
