"""The office admin issues and revokes tokens; only digests are kept, secrets never logged."""

from __future__ import annotations

import hashlib
import logging
import re

from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.auth.models import ApiToken
from tanggap.auth.tokens import redact
from tanggap.extensions import db
from tanggap.tenancy.scoping import CROSS_TENANT

SECRET = re.compile(r'id="new-token">(tgp_[^<]+)<')


def _tokens(tenant_id: int) -> list[ApiToken]:
    return list(db.session.execute(select(ApiToken).where(ApiToken.tenant_id == tenant_id)
                                   .execution_options(**{CROSS_TENANT: True})).scalars())


def test_the_admin_issues_a_token_that_is_shown_once_and_stored_as_a_digest(app, metro, visitor, ctx):
    visitor.login(metro.admin.email)
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
    visitor.login(metro.admin.email)
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


def test_only_the_office_admin_manages_tokens(metro, new_visitor):
    for role in ("leader", "officer"):
        visitor = new_visitor()
        visitor.login(getattr(metro, role).email)
        assert visitor.get("/disdikbud-metro/staff/settings/api-tokens").status_code == 403


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
