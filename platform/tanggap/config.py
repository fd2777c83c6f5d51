"""Settings, read only from the environment, with an embedded default.

The embedded default (no variables set) runs on SQLite in the instance folder with jobs
executed inline, so a newcomer needs nothing but Python. Production sets ``TANGGAP_ENV=
production`` and must then give a ``SECRET_KEY``: a guessable key would let anyone forge
sessions, so start-up stops instead of guessing.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """Raised at start-up when the environment cannot make a safe configuration."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _networks(value: str) -> tuple[str, ...]:
    """Comma-separated CIDR networks, each checked now so a typo stops the start, not a delivery."""
    networks = tuple(net.strip() for net in value.split(",") if net.strip())
    for net in networks:
        ipaddress.ip_network(net, strict=False)
    return networks


def _normalise_database_url(url: str) -> str:
    """Accept the ``postgres://`` spelling hosting platforms print and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@dataclass(frozen=True)
class Settings:
    """The environment, read once; ``as_flask_config`` turns it into Flask keys."""

    env: str = "development"
    secret_key: str | None = None
    database_url: str | None = None
    #: The cross-office role's connection (PostgreSQL): jobs, the console and the inspectorate.
    cross_database_url: str | None = None
    redis_url: str | None = None
    instance_path: Path | None = None
    proxy_count: int = 0
    #: Peers whose X-Forwarded-* headers are believed (the reverse proxy's addresses, CIDR).
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    mail_server: str | None = None
    mail_port: int = 25
    mail_username: str | None = None
    mail_password: str | None = None
    mail_use_tls: bool = False
    mail_use_ssl: bool = False
    mail_sender: str = "Tanggap <no-reply@tanggap.localhost>"
    #: Without MAIL_SERVER, where each mail is written as a file (default: the instance folder's mail/).
    mail_folder: Path | None = None
    #: Where citizens reach the platform; links in mail sent from jobs and commands use it.
    public_url: str = "http://127.0.0.1:5000"
    #: Host names besides the public URL's that requests may name (a health check's, a
    #: second name); offices' registered hosts are added as they are registered.
    trusted_hosts: tuple[str, ...] = ()
    #: Networks a webhook may reach although they are not public (an office gateway on an intranet).
    webhook_allowed_networks: tuple[str, ...] = ()
    #: Keys the audit chain (HMAC); kept out of the database, so its owner cannot re-hash a chain.
    audit_key: str | None = None
    #: Where the signed checkpoints of the audit chains are appended (default: the instance folder).
    audit_checkpoints: Path | None = None
    #: ``json`` (one object per line, the default in production) or ``text``.
    log_format: str | None = None
    #: Errors go to Sentry too when set (the operator's own Sentry or a compatible server).
    sentry_dsn: str | None = None
    #: Networks whose clients may read ``/metrics`` (the operator's Prometheus).
    metrics_allowed_networks: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
    #: Where attachments and exports are kept: a folder, or ``s3://bucket/prefix`` (default:
    #: the instance folder). Every web host and worker must name the same one.
    file_store: str | None = None
    #: An S3-compatible server of one's own (MinIO, Ceph); unset means Amazon S3.
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    default_locale: str = "id"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        instance = env.get("TANGGAP_INSTANCE_PATH")
        return cls(
            env=env.get("TANGGAP_ENV", "development").strip().lower(),
            secret_key=env.get("SECRET_KEY") or None,
            database_url=env.get("DATABASE_URL") or None,
            cross_database_url=env.get("TANGGAP_CROSS_DATABASE_URL") or None,
            redis_url=env.get("REDIS_URL") or None,
            instance_path=Path(instance) if instance else None,
            proxy_count=int(env.get("TANGGAP_PROXY_COUNT", "0") or 0),
            trusted_proxies=_networks(env.get("TANGGAP_TRUSTED_PROXIES", "")) or cls.trusted_proxies,
            mail_server=env.get("MAIL_SERVER") or None,
            mail_port=int(env.get("MAIL_PORT", "25") or 25),
            mail_username=env.get("MAIL_USERNAME") or None,
            mail_password=env.get("MAIL_PASSWORD") or None,
            mail_use_tls=_flag(env.get("MAIL_USE_TLS")),
            mail_use_ssl=_flag(env.get("MAIL_USE_SSL")),
            mail_sender=env.get("MAIL_DEFAULT_SENDER") or cls.mail_sender,
            mail_folder=Path(env["TANGGAP_MAIL_FOLDER"]) if env.get("TANGGAP_MAIL_FOLDER") else None,
            public_url=(env.get("TANGGAP_PUBLIC_URL") or cls.public_url).rstrip("/"),
            trusted_hosts=tuple(host for host in (env.get("TANGGAP_TRUSTED_HOSTS") or "").replace(",", " ").split()),
            webhook_allowed_networks=_networks(env.get("TANGGAP_WEBHOOK_ALLOWED_NETWORKS", "")),
            audit_key=env.get("TANGGAP_AUDIT_KEY") or None,
            audit_checkpoints=Path(env["TANGGAP_AUDIT_CHECKPOINTS"]) if env.get("TANGGAP_AUDIT_CHECKPOINTS") else None,
            log_format=(env.get("TANGGAP_LOG_FORMAT") or "").strip().lower() or None,
            sentry_dsn=env.get("SENTRY_DSN") or None,
            metrics_allowed_networks=_networks(env.get("TANGGAP_METRICS_ALLOWED_NETWORKS", ""))
            or cls.metrics_allowed_networks,
            file_store=env.get("TANGGAP_FILE_STORE") or None,
            s3_endpoint_url=env.get("TANGGAP_S3_ENDPOINT_URL") or None,
            s3_region=env.get("TANGGAP_S3_REGION") or None,
        )

    @property
    def production(self) -> bool:
        return self.env == "production"

    def instance_folder(self) -> Path:
        """Where the embedded database, uploads and checkpoints live: ``TANGGAP_INSTANCE_PATH``.

        Production must name it: an installed package has no checkout to put it in, and a
        folder guessed inside the virtualenv would be lost at the next upgrade. In
        development it is the checkout's ``instance/`` (``make run``), or the working
        directory's when the package is installed rather than checked out.
        """
        if self.instance_path:
            return self.instance_path
        if self.production:
            raise ConfigError(
                "TANGGAP_INSTANCE_PATH is not set. In production (TANGGAP_ENV=production) name the "
                "folder for audit checkpoints, mail files and (without TANGGAP_FILE_STORE) uploads and exports, e.g. /var/lib/tanggap."
            )
        checkout = Path(__file__).resolve().parents[2]
        return (checkout if (checkout / "pyproject.toml").exists() else Path.cwd()) / "instance"

    def allowed_hosts(self) -> list[str]:
        """The public URL's host and the ones ``TANGGAP_TRUSTED_HOSTS`` names."""
        public = urlsplit(self.public_url).hostname
        return [*([public] if public else []), *self.trusted_hosts]

    def as_flask_config(self, instance_path: Path) -> dict[str, Any]:
        """Flask, SQLAlchemy, Babel, Limiter and Mail settings derived from this environment."""
        if self.production and not self.secret_key:
            raise ConfigError(
                "SECRET_KEY is not set. In production (TANGGAP_ENV=production) Tanggap needs a "
                "long random SECRET_KEY in the environment, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        if self.production and not self.audit_key:
            raise ConfigError(
                "TANGGAP_AUDIT_KEY is not set. In production the audit chain is keyed with a secret "
                "kept out of the database, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`; "
                "keep it apart from the database and its backups: a chain verifies only under the key it was written with."
            )
        database_url = self.database_url or f"sqlite:///{instance_path / 'tanggap.db'}"
        if self.production and database_url.startswith(("postgres", "postgresql")) and not self.cross_database_url:
            raise ConfigError(
                "TANGGAP_CROSS_DATABASE_URL is not set. In production the office pages connect as the "
                "app role, which reads only the declared office's rows; jobs, the console and the "
                "inspectorate need the cross-office role's own connection (README, \"Production\")."
            )
        binds = {"cross": _normalise_database_url(self.cross_database_url)} if self.cross_database_url else {}
        return {
            "TANGGAP_ENV": self.env,
            "SECRET_KEY": self.secret_key or "embedded-development-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": _normalise_database_url(database_url),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "SQLALCHEMY_BINDS": binds,
            "REDIS_URL": self.redis_url,
            "JOBS_INLINE": self.redis_url is None,
            "PROXY_COUNT": self.proxy_count,
            "TRUSTED_PROXIES": self.trusted_proxies,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_KEY_PREFIX": "tanggap",
            "RATELIMIT_HEADERS_ENABLED": True,
            "RATELIMIT_SWALLOW_ERRORS": True,
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
            "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
            "SUPPORTED_LOCALES": ("id", "en"),
            "SESSION_COOKIE_SECURE": self.production,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.production,
            # "Keep me logged in" on a shared office computer: two weeks, sent on top-level
            # navigation only, never readable by scripts.
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_DURATION": timedelta(days=14),
            "PREFERRED_URL_SCHEME": "https" if self.production else "http",
            "FORCE_HTTPS": self.production,
            "MAIL_SERVER": self.mail_server or "localhost",
            "MAIL_PORT": self.mail_port,
            "MAIL_USERNAME": self.mail_username,
            "MAIL_PASSWORD": self.mail_password,
            "MAIL_USE_TLS": self.mail_use_tls,
            "MAIL_USE_SSL": self.mail_use_ssl,
            "MAIL_DEFAULT_SENDER": self.mail_sender,
            # Without an SMTP server the embedded default writes each mail to a folder instead
            # of sending it (tanggap.mailer), where whoever runs it can open it.
            "MAIL_SUPPRESS_SEND": self.mail_server is None,
            "MAIL_FOLDER": None if self.mail_server else str(self.mail_folder or instance_path / "mail"),
            "PASSWORD_RESET_MAX_AGE": 3600,
            "ARGON2_PARAMETERS": {},
            "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
            "FILE_STORE": self.file_store or str(instance_path),
            "S3_ENDPOINT_URL": self.s3_endpoint_url,
            "S3_REGION": self.s3_region,
            "PUBLIC_URL": self.public_url,
            # In production a request naming any other host is refused (400): links and
            # redirects must never be built on a host the client chose.
            "TANGGAP_TRUSTED_HOSTS": self.allowed_hosts() if self.production else None,
            "TRUSTED_HOSTS": self.allowed_hosts() if self.production else None,
            "WEBHOOK_ALLOW_HTTP": not self.production,
            "WEBHOOK_ALLOWED_NETWORKS": self.webhook_allowed_networks,
            "AUDIT_KEY": self.audit_key or "embedded-development-audit-key-not-for-production",
            "AUDIT_CHECKPOINTS": str(self.audit_checkpoints or instance_path / "audit-checkpoints"),
            "LOG_FORMAT": self.log_format or ("json" if self.production else "text"),
            "SENTRY_DSN": self.sentry_dsn,
            "METRICS_ALLOWED_NETWORKS": self.metrics_allowed_networks,
            **self.extra,
        }
