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
from .assessments.decisions import Finding, assess
from .complaints import lifecycle
from .complaints.intake import Submission, new_key, submit
from .complaints.models import Complaint
from . import clock
from .decrees.store import in_force
from .extensions import db
from .tenancy.context import bound_to
from .tenancy.models import Region, Tenant
from .units.models import Officer, ServiceUnit


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
                # The leader is the head of office until the admin marks another: escalations reach someone.
                db.session.add(Membership(user=user, tenant=tenant, role=role, head_of_office=role is Role.LEADER))
                record("membership.created", tenant_id=tenant.id, actor_label="demo", obj=user,
                       after={"role": role.value, "email": email})
            lines.append(DemoAccount(role.value, email, url_for("auth.staff_home", tenant_slug=tenant.slug)))
        lines.append(DemoAccount("citizen", "(no account)", url_for("citizen.home", tenant_slug=tenant.slug)))
        with bound_to(tenant):
            _units(tenant)
            db.session.flush()
            _complaints(tenant)
    roots = db.session.execute(select(Region).where(Region.parent_id.is_(None)).order_by(Region.slug)).scalars()
    for region in roots:
        email = f"inspector.{region.slug}@tanggap.demo"
        inspector = _user(email, f"Inspektorat {region.name}", password_hash)
        if not any(scope.region_id == region.id for scope in inspector.inspector_scopes):
            db.session.add(InspectorScope(user=inspector, region=region))
        lines.append(DemoAccount("inspector", email, "/auth/login"))
    return lines


#: Service units and their officers (*pelaksana*) for the shipped offices; names are invented.
UNITS = {
    "dinsos-lampung": {
        "Bidang Perlindungan dan Jaminan Sosial": [("Rina Marlina, S.Sos.", "Analis Perlindungan Sosial")],
        "Bidang Rehabilitasi Sosial": [("Agus Prasetyo, S.Kom.", "Pengelola Layanan Rehabilitasi")],
    },
    "disdikbud-metro": {
        "Layanan Legalisir dan Surat Keterangan": [("Dewi Anggraini, S.Pd.", "Pengadministrasi Umum")],
        "Bidang Pembinaan Sekolah Dasar": [("Hendra Saputra, S.Pd.", "Pengelola Data Pendidikan")],
    },
}

#: A few complaints at different steps, so that a newcomer sees the inbox at work.
COMPLAINTS = {
    "dinsos-lampung": [
        (["time"], "Surat rekomendasi bantuan sosial saya belum selesai setelah 5 hari kerja, padahal standarnya 3 hari.",
         "Andi Wijaya", "uphold"),
        (["requirements"], "Petugas meminta fotokopi KK tambahan yang tidak tercantum dalam persyaratan.",
         "Maria Ulfa", None),
    ],
    "disdikbud-metro": [
        (["fee"], "Saya diminta membayar Rp 25.000 untuk legalisir ijazah, padahal layanan ini gratis.",
         "Siti Rahayu", "uphold"),
        (["time"], "Surat keterangan pindah sekolah anak saya terlambat dua hari.", "Joko Susilo", None),
    ],
}


def _units(tenant: Tenant) -> None:
    existing = set(db.session.execute(select(ServiceUnit.name)).scalars())
    for name, officers in UNITS.get(tenant.slug, {}).items():
        if name in existing:
            continue
        unit = ServiceUnit(tenant_id=tenant.id, name=name)
        db.session.add(unit)
        for officer, position in officers:
            db.session.add(Officer(tenant_id=tenant.id, name=officer, position=position, unit=unit))


def _complaints(tenant: Tenant) -> None:
    """File the demo complaints once (an office that has any keeps its own)."""
    if db.session.execute(select(Complaint.id).limit(1)).first() is not None or in_force(tenant) is None:
        return
    short = tenant.slug.split("-")[0]
    leader = db.session.execute(select(User).where(User.email == f"leader.{short}@tanggap.demo")).scalar_one()
    for components, text, name, step in COMPLAINTS.get(tenant.slug, []):
        complaint = submit(tenant, Submission(
            components=components, description=text, occurred_on=clock.office_today(tenant), name=name,
            email=f"{name.split()[0].lower()}@warga.example", phone=None, submission_key=new_key(),
            charged=25000 if "fee" in components else None, tariff=0 if "fee" in components else None,
            waited_minutes=45 if "fee" in components else None,
        ))
        if step in ("accept", "uphold"):
            lifecycle.apply(complaint, lifecycle.Action.ACCEPT, by=leader)
        if step == "uphold":
            officer = db.session.execute(select(Officer).order_by(Officer.id).limit(1)).scalar_one_or_none()
            fee = "fee" in components
            assess(complaint, Finding(upheld=True, components=components, reasoning="Terbukti dari keterangan warga "
                                      "dan petugas loket.", delay_minutes=45 if fee else 2880,
                                      overcharge=25000 if fee else None,
                                      responsible_officer_id=officer.id if officer else None), by=leader)
