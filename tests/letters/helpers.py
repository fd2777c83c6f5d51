"""Helpers of the letters tests: a seed office's upheld fee complaint, and reading PDFs back."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select

from tests.complaints.helpers import by_number

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def upheld_fee_complaint(office: SimpleNamespace, make, *, name: str = "Siti Rahmawati",
                         email: str | None = "siti@example.org", components: tuple[str, ...] = ("fee",)) -> SimpleNamespace:
    """The office's complaint by ``name`` (about its fee by default), upheld by its leader with a
    45-minute delay and Rp50.000 over the tariff: ``.number``, ``.code``."""
    from tanggap.assessments.decisions import Finding, assess
    from tanggap.auth.models import User
    from tanggap.complaints import lifecycle
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    filed = make.complaint(office, components=components, name=name, email=email, service="Legalisir ijazah")
    with make.ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            complaint = by_number(filed.number)
            leader = db.session.get(User, office.leader.id)
            lifecycle.apply(complaint, lifecycle.Action.ACCEPT, by=leader)
            assess(complaint, Finding(upheld=True, components=list(components), reasoning="Terbukti dari kuitansi.",
                                      explanation="Petugas loket memungut biaya legalisir yang seharusnya gratis.",
                                      delay_minutes=45, overcharge=50000, souvenir_item="Tumbler"), by=leader)
            db.session.commit()
    return filed


def items_of(number: str) -> dict[str, int]:
    return {item.kind: item.id for item in by_number(number).package_items}


def letters_of(number: str):
    from tanggap.extensions import db
    from tanggap.letters.models import Letter
    from tanggap.tenancy.scoping import every_office

    return list(db.session.execute(
        every_office(select(Letter).where(Letter.complaint_id == by_number(number).id).order_by(Letter.id))).scalars())


def issue(staff, number: str, item_id: int, locale: str):
    return staff.visitor.submit(staff.url(number, f"items/{item_id}/letter"), {"locale": locale}, page=staff.url(number))


def download(staff, number: str, letter_id: int) -> bytes:
    response = staff.visitor.get(staff.url(number, f"letters/{letter_id}.pdf"))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response.data


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler reads it, in reading order."""
    assert content.startswith(b"%PDF-"), content[:40]
    source = tmp_path / "read.pdf"
    source.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout


def first_page_png(content: bytes, name: str, tmp_path: Path) -> Path:
    """The first page at 80 dpi, kept in ``artifacts/screenshots/`` to be looked at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(SCREENSHOTS / name)], check=True)
    return SCREENSHOTS / f"{name}.png"
