"""The audit log reads as sentences in the reader's language: every action the code records
has its label, an unknown one still reads as words, and changes read field: old → new."""

from __future__ import annotations

import re
from pathlib import Path

from flask_babel import force_locale

from tanggap.admin import audit_words
from tanggap.complaints.lifecycle import Action
from tanggap.complaints.models import EventKind

from ..complaints.helpers import ticket

PACKAGE = Path(__file__).resolve().parents[2] / "platform" / "tanggap"
#: An action code as the code writes it: ``"api_token.issued"``, or the families' f-strings.
CODE = re.compile(r'"((?:alerts|api_token|auth|channels|decree|inspector|membership|region|sanction|tenant|user)'
                  r'\.[a-z_]+)"')


def _recorded_codes(app) -> set[str]:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    found = {code for path in PACKAGE.rglob("*.py") for code in CODE.findall(path.read_text())}
    # The roster writes "<unit|officer>.<created|changed>"; the lifecycle "complaint.<step>".
    found |= {f"{thing}.{step}" for thing in ("unit", "officer") for step in ("created", "changed")}
    found |= {f"complaint.{action.value}" for action in Action} | {f"complaint.{kind.value}" for kind in EventKind}
    return found - endpoints


def test_every_action_the_code_records_has_words(app):
    codes = _recorded_codes(app)
    assert len(codes) > 40
    with app.test_request_context(), force_locale("id"):
        unlabelled = sorted(code for code in codes
                            if audit_words.action_label(code) in (audit_words.action_label("x.y"), code))
    assert unlabelled == []


def test_an_unknown_action_still_reads_as_words(app):
    with app.test_request_context(), force_locale("id"):
        assert audit_words.action_label("complaint.frobbed", "Complaint") == "Perubahan pada: Pengaduan"
        assert audit_words.action_label("widget.frobbed") == "Perubahan lain"
    with app.test_request_context(), force_locale("en"):
        assert audit_words.action_label("widget.frobbed", "ApiToken") == "Change to: API token"


def test_changes_read_field_old_new_in_words(app):
    before = {"status": "submitted", "event": 3}
    after = {"status": "in_assessment", "from": "submitted", "to": "in_assessment", "scopes": ["read", "write"],
             "pending": True, "effective_from": "2024-01-04", "number": ticket("DISDIKBUD")}
    with app.test_request_context(), force_locale("id"):
        rows = [(row.field, row.before, row.after) for row in audit_words.changes(before, after)]
    assert rows == [("Status", "Baru", "Sedang dinilai"), ("Boleh", None, "Membaca, Langkah petugas"),
                    ("Undangan belum diterima", None, "ya"), ("Berlaku mulai", None, "4 Januari 2024"),
                    ("Nomor", None, ticket("DISDIKBUD"))]


def test_alert_points_in_an_entry_read_as_the_settings_page_writes_them(app):
    stored = [{"code": "before_180m", "anchor": "deadline", "value": -180.0, "audience": ["assignee", "leaders"]},
              {"code": "escalation", "anchor": "deadline", "value": 1440.0, "audience": ["assignee", "leaders", "head"]}]
    with app.test_request_context(), force_locale("id"):
        rows = audit_words.changes(None, {"points": stored})
    assert [(row.field, row.after) for row in rows] == [
        ("Titik peringatan", "3 jam sebelum batas waktu, 1 hari setelah batas waktu (eskalasi)")]


def test_the_audit_page_speaks_words_not_codes(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    make.api_token(office)
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.get("/locale/id")
    html = leader.get("/dinas-alpha/staff/audit").get_data(as_text=True)
    page = html[html.index("<table"):html.index("</table>")]
    assert "Token API diterbitkan" in page and "Boleh: Membaca, Langkah petugas" in page
    assert "api_token.issued" not in page and "{&#34;" not in page and "{" not in page
    leader.get("/locale/en")
    page = leader.get("/dinas-alpha/staff/audit").get_data(as_text=True)
    assert "API token issued" in page and "May do: Read, Staff steps" in page
