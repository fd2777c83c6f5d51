"""Accounts, roles per office, and inspectors' regions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import LazyString, lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import Model, db
from ..tenancy.models import Region, Tenant
from ..tenancy.scoping import TenantScoped


class Role(enum.Enum):
    """What a member does in one office (DESIGN.md, "Who uses it")."""

    ADMIN = "admin"
    LEADER = "leader"
    OFFICER = "officer"

    @property
    def label(self) -> LazyString:
        """The role in words, the one name every page and form shows (lazy: a form's
        choices are built at import and must still read in each request's language)."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ADMIN: _l("Office admin"),
    Role.LEADER: _l("Leader"),
    Role.OFFICER: _l("Service officer"),
}


class User(UserMixin, Model):
    """A person who logs in: office staff, an inspector or a platform operator.

    Citizens do not need accounts; they track complaints by code.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: *Nomor Induk Pegawai*, the civil servant number, when the person has one.
    nip: Mapped[str | None] = mapped_column(String(30))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped on log-out, password change and deactivation: older sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    inspector_scopes: Mapped[list["InspectorScope"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        # The session carries the version; a bumped version turns old cookies away.
        return f"{self.id}:{self.session_version}"

    def role_in(self, tenant: Tenant | None) -> Role | None:
        if tenant is None:
            return None
        return next((m.role for m in self.memberships if m.tenant_id == tenant.id), None)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(Model):
    """A user's role in one office.

    Not tenant-scoped by the ORM: a user's memberships span offices and are read at
    log-in, before any office is bound. Permission checks filter by tenant explicitly.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: The head of office (*Kepala Dinas*), marked by the office admin: escalations go to them.
    head_of_office: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("user_id", "tenant_id"),)


class InspectorScope(Model):
    """An inspector's region: they read every office in it and in its child regions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="inspector_scopes")
    region: Mapped[Region] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("user_id", "region_id"),)


class ApiScope(enum.Enum):
    """What an API token may do in its office (``issues``: read, write; ``submit`` for channels)."""

    #: Read complaints with the citizens' details, their timelines, the decree and the reports.
    READ = "read"
    #: Take staff steps: triage, assessment, delivery, closing. Includes ``submit``.
    WRITE = "write"
    #: File complaints for citizens and nothing else: a WhatsApp desk, a kiosk, SP4N-LAPOR!.
    SUBMIT = "submit"

    @property
    def label(self) -> str:
        return str(_SCOPE_LABELS[self])

    @property
    def short_label(self) -> LazyString:
        """The scope's name in a list of tokens, where the full sentence would not fit."""
        return _SCOPE_NAMES[self]


_SCOPE_LABELS = {
    ApiScope.READ: _l("Read complaints, timelines, the decree and reports"),
    ApiScope.WRITE: _l("Take staff steps: triage, assess, deliver, close (and file complaints)"),
    ApiScope.SUBMIT: _l("File complaints for citizens (Open311 and the JSON API)"),
}

_SCOPE_NAMES = {
    ApiScope.READ: _l("Read"),
    ApiScope.WRITE: _l("Staff steps"),
    ApiScope.SUBMIT: _l("File complaints"),
}


class ApiToken(TenantScoped, Model):
    """A credential a member of an office gives to one of the office's other systems, on their behalf.

    Only a SHA-256 digest of the secret is kept: the secret is 256 random bits, so a fast
    hash is as safe as a slow one and keeps each API call cheap. ``prefix`` lets people
    recognise a token in lists without it being usable.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: The issuer's role in the office when they issued it: the token ends when that role does.
    issuer_role: Mapped[Role | None] = mapped_column(
        db.Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
    tenant: Mapped[Tenant] = relationship(lazy="joined")

    #: Flask-Login's question, so permission checks can treat a token like a signed-in user.
    is_authenticated = True

    @property
    def label(self) -> str:
        """How the timeline and the audit log name the token: never its secret."""
        return f"API: {self.name}"

    @property
    def scope_labels(self) -> list[str]:
        """What the token may do, in words, for the list of tokens."""
        return [str(ApiScope(value).short_label) for value in self.scopes]

    def allows(self, scope: ApiScope) -> bool:
        granted = {ApiScope(value) for value in self.scopes}
        return scope in granted or (scope is ApiScope.SUBMIT and ApiScope.WRITE in granted)

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… {self.name}>"


#: Who takes a step: a person signed in, or one of the office's systems through its token.
Actor = User | ApiToken


def actor_parts(by: Actor | None, label: str | None = None) -> tuple[User | None, str | None]:
    """The user to link and the label to write, for timelines and the audit log."""
    if isinstance(by, ApiToken):
        return None, by.label
    return by, (label if by is None else None)
