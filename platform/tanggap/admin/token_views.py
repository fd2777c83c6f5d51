"""The office's API tokens: a member issues one for another system of the office, within
their own permissions, sees when each was last used and revokes it. The secret is shown
once, on the page that issues it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth import tokens
from ..auth.models import ApiScope, ApiToken
from ..auth.permissions import Permission, can, issuable_scopes, require, token_is_backed
from ..extensions import db
from ..tenancy.context import bound_tenant
from ..tenancy.models import Tenant
from ..web import redirect_htmx
from .forms import RevokeForm, TokenForm

bp = Blueprint("tokens", __name__)
BASE = "/<tenant_slug>/staff/settings/api-tokens"


def _may_revoke(token: ApiToken, tenant: Tenant) -> bool:
    """The office admin revokes any token of the office; other members revoke their own."""
    return can(current_user, Permission.MANAGE_OFFICE, tenant) or token.created_by_id == current_user.id


@bp.route(BASE, methods=["GET", "POST"])
@require(Permission.ISSUE_API_TOKENS)
def index():
    tenant = bound_tenant()
    offered = issuable_scopes(current_user, tenant)
    form = TokenForm()
    form.offer(offered)
    secret = None
    if form.validate_on_submit():
        _token, secret = tokens.issue(tenant, form.name.data, [ApiScope(s) for s in form.scopes.data],
                                      by=current_user)
        form = TokenForm(formdata=None)
        form.offer(offered)
    status = 422 if form.errors else 200
    response = make_response(render_template(
        "admin/api_tokens.html", form=form, secret=secret, tokens=tokens.of_office(), revoke=RevokeForm(),
        may_revoke=lambda token: _may_revoke(token, tenant), backed=token_is_backed), status)
    response.headers["Cache-Control"] = "no-store"  # the page may carry a secret
    return response


@bp.post(f"{BASE}/<int:token_id>/revoke")
@require(Permission.ISSUE_API_TOKENS)
def revoke(token_id: int):
    token = db.session.execute(select(ApiToken).where(ApiToken.id == token_id)).scalar_one_or_none()
    if token is None:
        abort(404)
    if not _may_revoke(token, bound_tenant()):
        abort(403)
    if not RevokeForm().validate_on_submit():
        abort(400)
    tokens.revoke(token, by=current_user)
    flash(_("The token \u201c%(name)s\u201d no longer works.", name=token.name), "success")
    return redirect_htmx(url_for(".index"))
