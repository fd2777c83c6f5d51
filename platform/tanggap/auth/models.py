"""Accounts, roles per office, and inspectors' regions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import utcnow
from ..extensions import db
from ..tenancy.models import Region, Tenant


class Role(enum.Enum):
    """What a member does in one office (DESIGN.md, "Who uses it")."""

    ADMIN = "admin"
    LEADER = "leader"
    OFFICER = "officer"

    @property
    def label(self) -> str:
        return str(_ROLE_LABELS[self])


_ROLE_LABELS = {
    Role.ADMIN: _l("Office admin"),
    Role.LEADER: _l("Leader (pimpinan)"),
    Role.OFFICER: _l("Service officer (petugas)"),
}


class User(UserMixin, db.Model):
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
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


class Membership(db.Model):
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The head of office (*Kepala Dinas*), marked by the office admin: escalations go to them.
    head_of_office: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("user_id", "tenant_id"),)


class InspectorScope(db.Model):
    """An inspector's region: they read every office in it and in its child regions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="inspector_scopes")
    region: Mapped[Region] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("user_id", "region_id"),)
