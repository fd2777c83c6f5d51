"""Realistic volume for trying the reports and measuring them: N complaints across T offices.

Offices are made like the shipped Metro office (same decree), in the cities and regencies of
Provinsi Lampung; complaints spread over the last twelve months in the proportions an office
sees (most closed after compensation, about four in five on time; a quarter not upheld; some
still open, some overdue), with their assessments and compensation items. Rows go in by
PostgreSQL ``COPY`` (or plain batched inserts on SQLite): a million complaints in minutes.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, insert, select, text

from .assessments.models import Assessment, PackageItem
from .auth.models import Membership, Role, User
from .complaints.models import Complaint, TicketCounter
from .complaints.numbering import format_number
from . import clock
from .decrees.models import Decree, DecreeStatus
from .decrees.rules import Text
from .decrees.specs import DecreeSpec
from .decrees.store import in_force, new_version, text_fields_of
from .extensions import db
from .tenancy.context import bound_to
from .tenancy.models import Tenant
from .tenancy.setup import RegionSpec, TenantSpec, upsert_tenant
from .units.models import ServiceUnit
from .tenancy.scoping import every_office

if TYPE_CHECKING:
    import psycopg

PLACES = ["kota-bandar-lampung", "kota-metro", "kabupaten-lampung-selatan", "kabupaten-lampung-tengah",
          "kabupaten-lampung-timur", "kabupaten-lampung-utara", "kabupaten-pesawaran", "kabupaten-pringsewu",
          "kabupaten-tanggamus", "kabupaten-way-kanan"]
OFFICES = ["disdukcapil", "dinkes", "dpmptsp", "dinsos", "disdik", "dishub", "disnaker", "dpupr", "dlh", "disperindag"]
COMPLAINT_COLUMNS = ("id", "tenant_id", "number", "tracking_code", "status", "status_before_close", "decree_id",
                     "submitted_at", "due_at", "locale", "components", "description", "occurred_on", "unit_id",
                     "name", "email", "consent_at", "submission_key", "compensated_at", "closed_at", "rating",
                     "updated_at", "next_alert_at")
ASSESSMENT_COLUMNS = ("id", "tenant_id", "complaint_id", "upheld", "components", "reasoning", "explanation",
                      "warnings", "decided_by_id", "decided_at")
ITEM_COLUMNS = ("tenant_id", "assessment_id", "complaint_id", "position", "code", "kind", "name", "required",
                "amount", "delivered_at", "refunded_amount")


def offices(count: int, password_hash: str) -> list[tuple[Tenant, Decree, list[int], int]]:
    """``count`` offices with Metro's decree, three units and a leader each (made once, reused)."""
    template_office = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one_or_none()
    if template_office is None:
        raise RuntimeError("load tenants/ first: the generated offices copy Metro's decree")
    with bound_to(template_office):
        template = in_force(template_office)
        if template is None:
            raise RuntimeError("Metro has no decree in force to copy")
        rules, text_spec = template.rules(), text_fields_of(template)
    made = []
    for index in range(count):
        place, kind = PLACES[index % len(PLACES)], OFFICES[(index // len(PLACES)) % len(OFFICES)]
        slug = f"{kind}-{place.split('-', 1)[1]}"[:60]
        if index >= len(PLACES) * len(OFFICES):
            slug = f"{slug}-{index}"
        tenant, _ = upsert_tenant(TenantSpec(
            slug=slug, name={"id": f"Dinas {kind.upper()} {place.replace('-', ' ').title()}",
                             "en": f"{kind.upper()} Office, {place.replace('-', ' ').title()}"},
            region=RegionSpec(slug=place, name=f"Pemerintah {place.replace('-', ' ').title()}",
                              parent="provinsi-lampung")))
        db.session.flush()
        with bound_to(tenant):
            decree = in_force(tenant)
            if decree is None:
                spec = DecreeSpec(number=text_spec["number"], title=Text(**text_spec["title"]),
                                  enacted_at=text_spec["enacted_at"], effective_from=text_spec["effective_from"])
                decree = new_version(tenant, spec, rules, status=DecreeStatus.PUBLISHED)
                db.session.flush()
            units = list(db.session.execute(select(ServiceUnit.id)).scalars())
            if not units:
                for name in ("Loket Pelayanan", "Bidang Layanan Umum", "UPTD"):
                    db.session.add(ServiceUnit(tenant_id=tenant.id, name=name))
                db.session.flush()
                units = list(db.session.execute(select(ServiceUnit.id)).scalars())
        email = f"leader.{slug}@tanggap.demo"
        leader = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if leader is None:
            leader = User(email=email, name=f"Pimpinan {slug}", password_hash=password_hash)
            db.session.add(leader)
            db.session.flush()
            db.session.add(Membership(user_id=leader.id, tenant_id=tenant.id, role=Role.LEADER, head_of_office=True))
        made.append((tenant, decree, units, leader.id))
    db.session.flush()
    return made


def complaints(total: int, made: Sequence[tuple[Tenant, Decree, list[int], int]], *, seed: int = 2026) -> int:
    """Add ``total`` complaints spread over ``made`` offices and the last twelve months."""
    chance = random.Random(seed)
    now = clock.now()
    next_complaint = (db.session.execute(every_office(select(func.max(Complaint.id)))).scalar() or 0) + 1
    next_assessment = (db.session.execute(every_office(select(func.max(Assessment.id)))).scalar() or 0) + 1
    counters: dict[tuple[int, int], int] = {}
    for row in db.session.execute(select(TicketCounter.tenant_id, TicketCounter.year, TicketCounter.last)):
        counters[(row.tenant_id, row.year)] = row.last
    rows: list[tuple[Any, ...]] = []
    assessments: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    for index in range(total):
        tenant, decree, units, leader_id = made[index % len(made)]
        submitted = now - timedelta(minutes=chance.randrange(0, 365 * 24 * 60))
        local = clock.office_time(tenant, submitted)  # the ticket's year and the day of the visit are the office's
        year = local.year
        counters[(tenant.id, year)] = counters.get((tenant.id, year), 0) + 1
        due = submitted + timedelta(hours=72)
        component = chance.choice(("time", "time", "time", "fee", "procedure", "requirements", "product"))
        roll = chance.random()
        status, before, compensated, closed, rating, upheld = "closed", None, None, None, None, None
        if submitted > now - timedelta(days=5) and roll < 0.5:
            status = chance.choice(("submitted", "in_assessment", "info_requested"))
        elif roll < 0.05:
            status = "upheld"
            upheld = True
        elif roll < 0.6:
            upheld = True
            hours = chance.gauss(50, 20) if chance.random() < 0.8 else chance.uniform(73, 200)
            compensated = submitted + timedelta(hours=max(2.0, hours))
            if compensated > now:
                compensated = None
                status = "upheld"
            else:
                status, before, closed = "closed", "compensated", compensated + timedelta(hours=2)
                rating = chance.choice((None, 3, 4, 4, 5, 5, 2))
        elif roll < 0.85:
            upheld = False
            status, before, closed = "closed", "rejected", submitted + timedelta(hours=30)
        elif roll < 0.92:
            status, before, closed = "withdrawn", "submitted", submitted + timedelta(hours=5)
        else:
            status, before, closed = "not_competent", "submitted", submitted + timedelta(hours=10)
        complaint_id = next_complaint + index
        rows.append((complaint_id, tenant.id, format_number(tenant, year, counters[(tenant.id, year)]),
                     uuid.uuid4().hex[:12].upper(), status, before, decree.id, submitted, due, "id",
                     [component], "Layanan tidak sesuai standar pelayanan yang diumumkan.",
                     local.date(), chance.choice(units), "Warga Demo", f"warga{complaint_id}@warga.example", submitted, uuid.uuid4().hex,
                     compensated, closed, rating, closed or submitted,
                     submitted if status in ("submitted", "in_assessment", "info_requested", "upheld") else None))
        if upheld is not None:
            assessment_id = next_assessment + len(assessments)
            assessments.append((assessment_id, tenant.id, complaint_id, upheld, [component] if upheld else [],
                                "Hasil penilaian.", None if upheld else "Tidak terbukti.", [], leader_id,
                                submitted + timedelta(hours=24)))
            if upheld:
                done = compensated
                items.append((tenant.id, assessment_id, complaint_id, 0, "apology", "apology",
                              {"id": "Permohonan maaf", "en": "Apology"}, True, None, done, None))
                if component == "fee":
                    items.append((tenant.id, assessment_id, complaint_id, 1, "refund", "refund",
                                  {"id": "Pengembalian biaya", "en": "Refund"}, True, 25000, done,
                                  25000 if done else None))
    _bulk(Complaint.__tablename__, COMPLAINT_COLUMNS, rows)
    _bulk(Assessment.__tablename__, ASSESSMENT_COLUMNS, assessments)
    _bulk(PackageItem.__tablename__, ITEM_COLUMNS, items)
    for (tenant_id, year), last in counters.items():
        db.session.merge(TicketCounter(tenant_id=tenant_id, year=year, last=last))
    _fix_sequences()
    db.session.flush()
    return total


def _bulk(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw = cast("psycopg.Connection[Any]", connection.connection.dbapi_connection)
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([json.dumps(value) if isinstance(value, (list, dict)) else value for value in row])
        return
    target = db.metadata.tables[table]
    for chunk in _chunks(rows, 5000):
        connection.execute(insert(target), [dict(zip(columns, row, strict=True)) for row in chunk])


def _chunks(rows: list[tuple], size: int) -> Iterator[list[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _fix_sequences() -> None:
    if db.session.connection().dialect.name != "postgresql":
        return
    for table in ("complaint", "assessment", "package_item"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
