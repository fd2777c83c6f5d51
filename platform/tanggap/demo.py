"""Demo accounts for the shipped offices: one per role, an inspector and an operator.

Idempotent: running it again resets the demo passwords and keeps everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from .audit.log import record
from .auth.models import InspectorScope, Membership, Role, User
from .auth.passwords import hash_password
from .extensions import db
from .tenancy.models import Region, Tenant


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    url: str


def _user(email: str, name: str, password_hash: str, **fields) -> User:
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash, **fields)
        db.session.add(user)
        db.session.flush()
        record("user.created", tenant_id=None, actor_label="demo", obj=user, after={"email": email})
    user.password_hash = password_hash
    user.active = True
    return user


def create_demo_accounts(password: str) -> list[DemoAccount]:
    password_hash = hash_password(password)
    lines: list[DemoAccount] = []
    operator = _user("operator@tanggap.demo", "Operator Diskominfo", password_hash, is_operator=True)
    operator.is_operator = True
    lines.append(DemoAccount("operator", operator.email, "/auth/login"))
    tenants = db.session.execute(select(Tenant).order_by(Tenant.slug)).scalars().all()
    for tenant in tenants:
        short = tenant.slug.split("-")[0]
        for role in Role:
            email = f"{role.value}.{short}@tanggap.demo"
            user = _user(email, f"{role.value.title()} {tenant.name.get('id', tenant.slug)}", password_hash)
            if user.role_in(tenant) is None:
                db.session.add(Membership(user=user, tenant=tenant, role=role))
                record("membership.created", tenant_id=tenant.id, actor_label="demo", obj=user,
                       after={"role": role.value, "email": email})
            lines.append(DemoAccount(role.value, email, url_for("auth.staff_home", tenant_slug=tenant.slug)))
        lines.append(DemoAccount("citizen", "(no account)", url_for("public.home", tenant_slug=tenant.slug)))
    roots = db.session.execute(select(Region).where(Region.parent_id.is_(None)).order_by(Region.slug)).scalars()
    for region in roots:
        email = f"inspector.{region.slug}@tanggap.demo"
        inspector = _user(email, f"Inspektorat {region.name}", password_hash)
        if not any(scope.region_id == region.id for scope in inspector.inspector_scopes):
            db.session.add(InspectorScope(user=inspector, region=region))
        lines.append(DemoAccount("inspector", email, "/auth/login"))
    return lines
