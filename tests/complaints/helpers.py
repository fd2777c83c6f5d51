"""Small helpers for complaint tests: reading the database, acting as staff."""

from __future__ import annotations

from sqlalchemy import select

from tanggap import clock
from tanggap.audit.models import AuditLog
from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.notifications.models import OutboxMessage
from tanggap.tenancy.scoping import every_office


def ticket(prefix: str, serial: int = 1, timezone: str = "Asia/Jakarta") -> str:
    """The number a complaint filed now gets: its office's year, not the server's."""
    return f"{prefix}-{clock.office_year(timezone)}-{serial:06d}"


def complaint(code: str) -> Complaint:
    """The complaint with this tracking code, whichever office it is in (for assertions only)."""
    return db.session.execute(
        every_office(select(Complaint).where(Complaint.tracking_code == code))
    ).scalar_one()


def by_number(number: str) -> Complaint:
    return db.session.execute(
        every_office(select(Complaint).where(Complaint.number == number))
    ).scalar_one()


def audit_actions(tenant_id: int) -> list[str]:
    return list(db.session.execute(
        select(AuditLog.action).where(AuditLog.tenant_id == tenant_id).order_by(AuditLog.seq)
    ).scalars())


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.execute(
        every_office(select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id))
    ).scalars())


class Staff:
    """A logged-in member of an office, acting on complaints through the pages' forms."""

    def __init__(self, visitor, slug: str) -> None:
        self.visitor, self.slug = visitor, slug

    def url(self, number: str, action: str = "") -> str:
        return f"/{self.slug}/staff/complaints/{number}" + (f"/{action}" if action else "")

    def page(self, number: str):
        return self.visitor.get(self.url(number))

    def act(self, number: str, action: str, data: dict | None = None):
        return self.visitor.submit(self.url(number, action), data or {}, page=self.url(number))


def errors(response) -> list[str]:
    """The error messages a page shows, to make a failed submission's reason readable."""
    import re

    html = response.get_data(as_text=True)
    return re.findall(r'class="(?:invalid-feedback d-block|alert alert-danger)"[^>]*>(.*?)</div>', html, re.S)


def photo(kind: str = "JPEG", size: tuple[int, int] = (40, 30), exif: bytes | None = None) -> bytes:
    """A real picture, as a phone would send it (with ``exif`` if given)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=kind, **({"exif": exif} if exif else {}))
    return out.getvalue()
