"""The office's API tokens: a member issues one for another system of the office, within
their own permissions, sees when each was last used and revokes it. The secret is shown
once, on the page that issues it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth import tokens
from ..auth.models import ApiScope, ApiToken
from ..auth.permissions import Permission, can, issuable_scopes, require, token_is_backed
from ..extensions import db
from ..forms import CheckboxesField, Form, options
from ..tenancy.context import bound_tenant
from ..tenancy.models import Tenant
from ..web import redirect_htmx

bp = Blueprint("tokens", __name__)
BASE = "/<tenant_slug>/staff/settings/api-tokens"


class TokenForm(Form):
    name = StringField(_l("Name of the system using it"), validators=[
        DataRequired(message=_l("Name the system, so the timeline and the audit log can say who acted.")),
        Length(max=100)], description=_l("For example: WhatsApp desk, SP4N-LAPOR! bridge."))
    scopes = CheckboxesField(_l("What it may do"), choices=[], validate_choice=False,
                             validators=[DataRequired(message=_l("Choose at least one scope."))])

    offered: frozenset[str] = frozenset()

    def validate_scopes(self, field: CheckboxesField) -> None:
        if not set(field.data or ()) <= self.offered:
            raise ValidationError(_l("You may not issue this scope: a token does only what you may do yourself."))

    def offer(self, scopes: list[ApiScope]) -> None:
        """Offer only the scopes this member may issue; any other is refused as not on offer."""
        self.offered = frozenset(scope.value for scope in scopes)
        self.scopes.choices = options((scope.value, scope.label) for scope in scopes)


class RevokeForm(Form):
    pass


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
