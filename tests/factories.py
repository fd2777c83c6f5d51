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
            sanctions=(rules.SanctionType("reprimand", text("Teguran", "Reprimand"), "disciplinary"),
                       rules.SanctionType("coaching", text("Pembinaan", "Coaching"), "developmental")),
        )
        spec = DecreeSpec(number=number, title=text("Kompensasi", "Compensation"), enacted_at=date(2026, 1, 5),
                          effective_from=date(2026, 1, 5))
        with self.ctx():
            bound = db.session.get(Tenant, tenant.id)
            with bound_to(bound):
                decree = new_version(bound, spec, law, status=DecreeStatus.DRAFT)
                db.session.commit()
                return decree.version

    def seed_office(self, slug: str) -> SimpleNamespace:
        """A shipped office loaded from ``tenants/<slug>``, with one member of each role, a
        service unit and an officer (*pelaksana*) in it."""
        from pathlib import Path

        from sqlalchemy import select

        from tanggap.tenancy.context import bound_to
        from tanggap.units.models import Officer, ServiceUnit

        folder = Path(__file__).resolve().parents[1] / "tenants" / slug
        result = self.app.test_cli_runner().invoke(args=["tenants", "load", str(folder)])
        assert result.exit_code == 0, result.output
        with self.ctx():
            tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
        people = {role.value: self.member(tenant, role, f"{role.value}@{slug}.example") for role in Role}
        with self.ctx():
            with bound_to(db.session.get(Tenant, tenant.id)):
                unit = ServiceUnit(tenant_id=tenant.id, name="Loket Pelayanan")
                officer = Officer(tenant_id=tenant.id, name="Budi Santoso", nip="19800101 200501 1 001",
                                  position="Pelaksana", unit=unit)
                db.session.add_all([unit, officer])
                db.session.commit()
                unit_id, officer_id = unit.id, officer.id
        return SimpleNamespace(tenant=tenant, unit_id=unit_id, officer_id=officer_id, **people)

    def complaint(self, office: SimpleNamespace, *, components=("time",), upheld: bool = False,
                  with_file: bool = False, email: str | None = "warga@example.org", **fields) -> SimpleNamespace:
        """A complaint filed with the office (publishing a small decree first if none is in force),
        optionally upheld by its leader with its package; ``.number``, ``.code``, ``.id``,
        ``.item_id``, ``.attachment_id``."""
        import uuid
        from datetime import timedelta

        from tanggap import clock
        from tanggap.assessments.decisions import Finding, assess
        from tanggap.complaints import attachments
        from tanggap.complaints.intake import Submission, submit
        from tanggap.decrees.store import in_force, publish, version
        from tanggap.tenancy.context import bound_to

        with self.ctx():
            tenant = db.session.get(Tenant, office.tenant.id)
            with bound_to(tenant):
                if in_force(tenant) is None:
                    number = self.draft_decree(tenant) if not getattr(office, "decree_version", None) else office.decree_version
                    publish(version(tenant, number))
                    db.session.commit()
                given = {"description": "Layanan terlambat tiga hari dari standar.", "occurred_on": clock.office_today(tenant) - timedelta(days=1),
                         "name": "Warga Contoh", "phone": "081234567890"} | fields
                submission = Submission(components=list(components), email=email,
                                        submission_key=uuid.uuid4().hex, **given)
                if with_file:
                    submission.uploads = [attachments.Upload("bukti.pdf", "application/pdf", b"%PDF-1.4 bukti")]
                complaint = submit(tenant, submission)
                item_id = None
                if upheld:
                    from tanggap.complaints import lifecycle

                    leader = db.session.get(User, office.leader.id)
                    lifecycle.apply(complaint, lifecycle.Action.ACCEPT, by=leader)
                    assessment = assess(complaint, Finding(upheld=True, components=list(components),
                                                           reasoning="Terbukti."), by=leader)
                    db.session.flush()
                    item_id = assessment.items[0].id
                db.session.commit()
                return SimpleNamespace(id=complaint.id, number=complaint.number, code=complaint.tracking_code,
                                       item_id=item_id,
                                       attachment_id=complaint.attachments[0].id if with_file else None)

    def officer(self, office: SimpleNamespace, name: str = "Budi Santoso", unit: str = "Loket Pelayanan",
                user_id: int | None = None) -> SimpleNamespace:
        """An officer (*pelaksana*) in a service unit of the office (the unit is made if new)."""
        from sqlalchemy import select

        from tanggap.tenancy.context import bound_to
        from tanggap.units.models import Officer, ServiceUnit

        with self.ctx():
            with bound_to(db.session.get(Tenant, office.tenant.id)):
                found = db.session.execute(select(ServiceUnit).where(ServiceUnit.name == unit)).scalar_one_or_none()
                found = found or ServiceUnit(tenant_id=office.tenant.id, name=unit)
                officer = Officer(tenant_id=office.tenant.id, name=name, nip="19800101 200501 1 001",
                                  position="Pelaksana", unit=found, user_id=user_id)
                db.session.add(officer)
                db.session.commit()
                return SimpleNamespace(id=officer.id, unit_id=found.id, name=name)

    def sanctioned(self, office: SimpleNamespace, officer_id: int, code: str = "reprimand") -> SimpleNamespace:
        """An upheld complaint against the officer, and the sanction its leader decided."""
        from datetime import timedelta

        from tanggap import clock
        from tanggap.complaints.models import Complaint
        from tanggap.sanctions.decisions import Decision, decide
        from tanggap.tenancy.context import bound_to

        filed = self.complaint(office, upheld=True)
        with self.ctx():
            with bound_to(db.session.get(Tenant, office.tenant.id)):
                complaint = db.session.get(Complaint, filed.id)
                complaint.assessment.responsible_officer_id = officer_id
                db.session.flush()
                today = clock.office_today(complaint.tenant)
                coaching = {"coaching_description": "Pelatihan pelayanan prima",
                            "coaching_due_on": today + timedelta(days=30)} if code == "coaching" else {}
                sanction = decide(complaint, Decision(officer_id=officer_id, code=code, reasoning="Terbukti lalai.",
                                                      decided_on=today, deviation_reason="Kebijakan pimpinan.",
                                                      **coaching),
                                  by=db.session.get(User, office.leader.id))
                db.session.commit()
                return SimpleNamespace(complaint=filed, sanction_id=sanction.id)

    def export(self, office: SimpleNamespace) -> str:
        """A finished complaints export of this month, asked for by the office's leader."""
        from tanggap.reports import exporting
        from tanggap.reports.period import Period
        from tanggap.tenancy.context import bound_to

        with self.ctx():
            tenant = db.session.get(Tenant, office.tenant.id)
            with bound_to(tenant):
                return exporting.start(tenant, office.leader.id, Period.this_month(tenant.timezone)).id

    def evidence(self, office: SimpleNamespace, item_id: int) -> int:
        """A file of evidence (a transfer slip as PDF) kept with the package item; its id."""
        from tanggap.assessments.models import DeliveryEvidence, PackageItem
        from tanggap.complaints import attachments
        from tanggap.tenancy.context import bound_to

        with self.ctx():
            with bound_to(db.session.get(Tenant, office.tenant.id)):
                item = db.session.get_one(PackageItem, item_id)
                stored = attachments.write(item.tenant_id, attachments.Upload("slip.pdf", "application/pdf",
                                                                              b"%PDF-1.4 slip"))
                row = DeliveryEvidence(tenant_id=item.tenant_id, item=item, complaint_id=item.complaint_id,
                                       filename=stored.filename, mimetype=stored.mimetype, size=stored.size,
                                       storage_key=stored.storage_key, sha256=stored.sha256)
                db.session.add(row)
                db.session.commit()
                return row.id

    def letter(self, office: SimpleNamespace, item_id: int, locale: str = "id", by: str = "leader") -> int:
        """The office's letter for a package item (its first of the kind), issued by its leader; its id."""
        from tanggap.assessments.models import PackageItem
        from tanggap.letters import issuing
        from tanggap.tenancy.context import bound_to

        with self.app.test_request_context():
            with bound_to(db.session.get(Tenant, office.tenant.id)):
                letter = issuing.issue(db.session.get_one(PackageItem, item_id), locale,
                                       by=db.session.get_one(User, getattr(office, by).id))
                db.session.commit()
                return letter.id

    def api_token(self, office: SimpleNamespace, scopes=("read", "write"), name: str = "Meja WhatsApp",
                  by: str = "leader") -> SimpleNamespace:
        """A live API token of the office, issued by its member of role ``by``: ``.secret`` and ``.id``."""
        from tanggap.auth import tokens
        from tanggap.auth.models import ApiScope
        from tanggap.tenancy.context import bound_to

        with self.ctx():
            tenant = db.session.get(Tenant, office.tenant.id)
            with bound_to(tenant):
                token, secret = tokens.issue(tenant, name, [ApiScope(s) for s in scopes],
                                             by=db.session.get(User, getattr(office, by).id))
                db.session.commit()
                return SimpleNamespace(secret=secret, id=token.id)

    def membership_id(self, tenant: Tenant, user: User) -> int:
        from sqlalchemy import select

        with self.ctx():
            return db.session.execute(select(Membership.id).where(Membership.tenant_id == tenant.id,
                                                                  Membership.user_id == user.id)).scalar_one()

    def furnish(self, office: SimpleNamespace, *, decree_number: str | None = None) -> SimpleNamespace:
        """One of everything a staff page can show: a draft decree, an upheld complaint with a
        file and a delivery's evidence, an officer with a sanction, an export, a membership and
        an API token. The walks over the URL map fill every argument from these."""
        office.decree_version = self.draft_decree(office.tenant, **({"number": decree_number} if decree_number else {}))
        office.complaint = self.complaint(office, upheld=True, with_file=True)
        office.complaint.evidence_id = self.evidence(office, office.complaint.item_id)
        office.complaint.letter_id = self.letter(office, office.complaint.item_id)
        office.pelaksana = self.officer(office)
        office.sanction = self.sanctioned(office, office.pelaksana.id, code="coaching")
        office.export_id = self.export(office)
        office.member_id = self.membership_id(office.tenant, office.officer)
        office.token = self.api_token(office)
        return office

    def office_with_staff(self, slug: str, **fields) -> SimpleNamespace:
        """An office with one member of each role: ``.tenant``, ``.admin``, ``.leader``, ``.officer``."""
        tenant = self.tenant(slug, **fields)
        people = {role.value: self.member(tenant, role) for role in Role}
        return SimpleNamespace(tenant=tenant, **people)
