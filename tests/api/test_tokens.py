"""The office admin issues and revokes tokens; only digests are kept, secrets never logged."""

from __future__ import annotations

import hashlib
import logging
import re

import pytest
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.auth.models import ApiToken
from tanggap.auth.tokens import redact
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office

SECRET = re.compile(r'id="new-token">(tgp_[^<]+)<')


def _tokens(tenant_id: int) -> list[ApiToken]:
    return list(db.session.execute(every_office(select(ApiToken).where(ApiToken.tenant_id == tenant_id))).scalars())


def test_a_leader_issues_a_token_that_is_shown_once_and_stored_as_a_digest(app, metro, visitor, ctx):
    visitor.login(metro.leader.email)
    page = "/disdikbud-metro/staff/settings/api-tokens"
    issued = visitor.submit(page, {"name": "Meja WhatsApp", "scopes": ["read", "submit"]})
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(issued.get_data(as_text=True)).group(1)
    assert secret not in visitor.get(page).get_data(as_text=True)
    with ctx():
        [token] = _tokens(metro.tenant.id)
        assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
        assert token.scopes == ["read", "submit"] and secret.startswith(token.prefix)
        entry = db.session.execute(select(AuditLog).where(AuditLog.action == "api_token.issued")).scalar_one()
        assert secret not in str(entry.after) and entry.after["name"] == "Meja WhatsApp"
    answer = app.test_client().get("/api/v1/complaints", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200


def test_a_token_form_that_is_not_valid_keeps_what_was_typed(metro, visitor):
    visitor.login(metro.leader.email)
    refused = visitor.submit("/disdikbud-metro/staff/settings/api-tokens", {"name": "Kios layanan"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'value="Kios layanan"' in html and "Pilih setidaknya satu cakupan." in html


def test_revoking_ends_the_token_and_is_audited(app, metro, make, visitor, ctx):
    token = make.api_token(metro)
    visitor.login(metro.admin.email)
    done = visitor.submit(f"/disdikbud-metro/staff/settings/api-tokens/{token.id}/revoke",
                          page="/disdikbud-metro/staff/settings/api-tokens")
    assert done.status_code == 303
    answer = app.test_client().get("/api/v1/complaints", headers={"Authorization": f"Bearer {token.secret}"})
    assert answer.status_code == 401
    with ctx():
        assert db.session.execute(select(AuditLog.action).where(AuditLog.action == "api_token.revoked")).scalar_one()


PAGE = "/disdikbud-metro/staff/settings/api-tokens"


@pytest.mark.parametrize("role, offered", [
    ("admin", {"submit"}), ("leader", {"read", "write", "submit"}), ("officer", {"read", "write", "submit"}),
])
def test_each_member_is_offered_only_the_scopes_they_may_issue(metro, new_visitor, role, offered):
    visitor = new_visitor()
    visitor.login(getattr(metro, role).email)
    html = visitor.get(PAGE).get_data(as_text=True)
    assert set(re.findall(r'name="scopes"[^>]*value="(\w+)"', html)) == offered


@pytest.mark.parametrize("scope", ["read", "write"])
def test_the_office_admin_cannot_issue_a_token_that_reads_or_decides_complaints(metro, visitor, ctx, scope):
    visitor.login(metro.admin.email)
    refused = visitor.submit(PAGE, {"name": "Jembatan", "scopes": [scope, "submit"]},
                             headers={"Accept-Language": "id"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Anda tidak boleh menerbitkan cakupan ini" in html and 'value="Jembatan"' in html
    assert "tgp_" not in html
    with ctx():
        assert _tokens(metro.tenant.id) == []


def test_the_admin_s_submit_token_files_complaints_and_reads_nothing(app, metro, visitor, make):
    complaint = make.complaint(metro)
    visitor.login(metro.admin.email)
    secret = SECRET.search(visitor.submit(PAGE, {"name": "Kios", "scopes": ["submit"]})
                           .get_data(as_text=True)).group(1)
    client = app.test_client()
    for path in ("/api/v1/complaints", f"/api/v1/complaints/{complaint.number}", "/api/v1/reports/figures"):
        answer = client.get(path, headers={"Authorization": f"Bearer {secret}"})
        assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden", path


def _role_change(admin, metro, make, who: str, role: str):
    member = make.membership_id(metro.tenant, getattr(metro, who))
    return admin.submit(f"/disdikbud-metro/staff/settings/staff/{member}", {"role": role},
                        page="/disdikbud-metro/staff/settings/staff")


@pytest.mark.parametrize("change", ["officer", "admin", "none"])
def test_a_leader_s_token_dies_when_the_leader_changes_role_or_leaves(app, metro, make, new_visitor, change):
    secret = make.api_token(metro, by="leader").secret
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
    client = app.test_client()
    assert client.get("/api/v1/complaints", headers=headers).status_code == 200
    admin = new_visitor()
    admin.login(metro.admin.email)
    assert _role_change(admin, metro, make, "leader", change).status_code == 303
    answer = client.get("/api/v1/complaints", headers=headers)
    assert answer.status_code == 401 and answer.json["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/complaints/X/accept", json={}, headers=headers).status_code == 401


def test_a_token_dies_with_its_issuer_s_account(app, metro, make, ctx):
    from tanggap.auth.models import User

    secret = make.api_token(metro, by="officer").secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/complaints", headers=headers).status_code == 200
    with ctx():
        db.session.get(User, metro.officer.id).active = False
        db.session.commit()
    assert app.test_client().get("/api/v1/complaints", headers=headers).status_code == 401


def test_a_token_does_only_what_both_its_scopes_and_its_issuer_allow(app, metro, make):
    filed = make.complaint(metro, upheld=True)
    leader = {"Authorization": f"Bearer {make.api_token(metro, by='leader').secret}"}
    officer = {"Authorization": f"Bearer {make.api_token(metro, by='officer').secret}"}
    client = app.test_client()
    delivery = {"delivered_at": "2026-11-20T10:00", "method": "phone"}
    url = f"/api/v1/complaints/{filed.number}/items/{filed.item_id}/delivery"
    assert client.post(url, json=delivery, headers=leader).status_code == 403  # leaders do not deliver
    assert client.get("/api/v1/reports/figures", headers=officer).status_code == 403  # officers read no reports
    assert "reopen" not in client.get(f"/api/v1/complaints/{filed.number}", headers=officer).json["actions"]


def test_members_revoke_their_own_tokens_and_the_admin_any(metro, make, new_visitor):
    leaders = make.api_token(metro, by="leader")
    officer = new_visitor()
    officer.login(metro.officer.email)
    assert officer.submit(f"{PAGE}/{leaders.id}/revoke", page=PAGE).status_code == 403
    admin = new_visitor()
    admin.login(metro.admin.email)
    assert admin.submit(f"{PAGE}/{leaders.id}/revoke", page=PAGE).status_code == 303


def test_secrets_never_reach_the_logs(app, metro, make, caplog):
    secret = make.api_token(metro).secret
    assert redact(f"GET /api/v1/complaints?api_key={secret}&x=1 Bearer {secret}") == \
        "GET /api/v1/complaints?api_key=[redacted]&x=1 Bearer [redacted]"
    assert redact("POST /x.json?api_key=abc123 HTTP/1.1") == "POST /x.json?api_key=[redacted] HTTP/1.1"
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("werkzeug").info('"%s" 200', f"GET /x.json?api_key={secret}")
        logging.getLogger("gunicorn.access").info("Authorization: Bearer %s", secret)
        app.test_client().get("/api/v1/complaints", headers={"Authorization": f"Bearer {secret}"})
        app.test_client().post("/disdikbud-metro/open311/v2/requests.json", data={"api_key": secret})
    assert "api_key=[redacted]" in caplog.text and "Bearer [redacted]" in caplog.text
    assert secret not in caplog.text
