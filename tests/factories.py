"""Factory helpers: build offices, people and memberships in a few words."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Flask

from tanggap.auth.models import InspectorScope, Membership, Role, User
from tanggap.auth.passwords import hash_password
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.setup import RegionSpec, TenantSpec, region_by_slug, upsert_region, upsert_tenant


class Factories:
    PASSWORD = "correct horse battery"

    def __init__(self, app: Flask, ctx) -> None:
        self.app, self.ctx = app, ctx

    def tenant(self, slug: str = "dinas-alpha", *, region: str = "kota-alpha", parent: str | None = None,
               active: bool = True, **fields) -> Tenant:
        with self.ctx():
            spec = TenantSpec(
                slug=slug,
                name={"id": f"Dinas {slug.title()}", "en": f"{slug.title()} Office"},
                region=RegionSpec(slug=region, name=f"Pemerintah {region.title()}", parent=parent),
                letterhead={"address": f"Jalan {slug.title()} 1", "phone": "(0721) 000000"},
                **fields,
            )
            tenant, _ = upsert_tenant(spec)
            tenant.active = active
            db.session.commit()
            return tenant

    def user(self, email: str, *, name: str | None = None, password: str = PASSWORD, **fields) -> User:
        with self.ctx():
            user = User(email=email, name=name or email.split("@")[0].title(), password_hash=hash_password(password), **fields)
            db.session.add(user)
            db.session.commit()
            return user

    def member(self, tenant: Tenant, role: Role | str, email: str | None = None, **fields) -> User:
        role = Role(role)
        email = email or f"{role.value}@{tenant.slug}.example"
        user = self.user(email, **fields)
        with self.ctx():
            db.session.add(Membership(user_id=user.id, tenant_id=tenant.id, role=role))
            db.session.commit()
        return user

    def inspector(self, region_slug: str, email: str | None = None) -> User:
        user = self.user(email or f"inspector@{region_slug}.example")
        with self.ctx():
            region = region_by_slug(region_slug) or upsert_region(RegionSpec(region_slug, region_slug))
            db.session.add(InspectorScope(user_id=user.id, region_id=region.id))
            db.session.commit()
        return user

    def draft_decree(self, tenant: Tenant, number: str = "1/KPTS/2026") -> int:
        """A small draft decree (version 1): one component, an apology, 2 x 24 hours."""
        from datetime import date

        from tanggap.decrees import rules
        from tanggap.decrees.models import DecreeStatus
        from tanggap.decrees.specs import DecreeSpec
        from tanggap.decrees.store import new_version
        from tanggap.tenancy.context import bound_to

        text = rules.Text
        law = rules.Rules(
            number=number,
            compensations=(rules.CompensationType("apology", "apology", text("Permohonan maaf", "Apology")),),
            components=(rules.Component("time", text("Jangka Waktu", "Service time"), ("apology",)),),
            tiers=(),
            deadline=rules.Deadline(hours=48),
        )
        spec = DecreeSpec(number=number, title=text("Kompensasi", "Compensation"), enacted_at=date(2026, 1, 5),
                          effective_from=date(2026, 1, 5))
        with self.ctx():
            bound = db.session.get(Tenant, tenant.id)
            with bound_to(bound):
                decree = new_version(bound, spec, law, status=DecreeStatus.DRAFT)
                db.session.commit()
                return decree.version

    def office_with_staff(self, slug: str, **fields) -> SimpleNamespace:
        """An office with one member of each role: ``.tenant``, ``.admin``, ``.leader``, ``.officer``."""
        tenant = self.tenant(slug, **fields)
        people = {role.value: self.member(tenant, role) for role in Role}
        return SimpleNamespace(tenant=tenant, **people)
