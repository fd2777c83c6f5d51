"""Helpers of the letters tests: a seed office's upheld fee complaint, and reading PDFs back."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

from tests.complaints.helpers import by_number

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def upheld_fee_complaint(office: SimpleNamespace, make, *, name: str, email: str | None) -> str:
    """The office's fee complaint by ``name``, upheld by its leader with a 45-minute delay and
    Rp50.000 over the tariff; its number."""
    from tanggap.assessments.decisions import Finding, assess
    from tanggap.auth.models import User
    from tanggap.complaints import lifecycle
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    filed = make.complaint(office, components=("fee",), name=name, email=email, service="Legalisir ijazah")
    with make.ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            complaint = by_number(filed.number)
            leader = db.session.get(User, office.leader.id)
            lifecycle.apply(complaint, lifecycle.Action.ACCEPT, by=leader)
            assess(complaint, Finding(upheld=True, components=["fee"], reasoning="Terbukti dari kuitansi.",
                                      explanation="Petugas loket memungut biaya legalisir yang seharusnya gratis.",
                                      delay_minutes=45, overcharge=50000, souvenir_item="Tumbler"), by=leader)
            db.session.commit()
    return filed.number


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
