"""The office admin's API tokens: issue one for another system of the office, see when each
was last used, revoke it. The secret is shown once, on the page that issues it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..auth import tokens
from ..auth.models import ApiScope, ApiToken
from ..auth.permissions import Permission, require
from ..extensions import db
from ..forms import CheckboxesField, Form, options
from ..tenancy.context import bound_tenant
from ..web import redirect_htmx

bp = Blueprint("tokens", __name__)
BASE = "/<tenant_slug>/staff/settings/api-tokens"


class TokenForm(Form):
    name = StringField(_l("Name of the system using it"), validators=[
        DataRequired(message=_l("Name the system, so the timeline and the audit log can say who acted.")),
        Length(max=100)], description=_l("For example: WhatsApp desk, SP4N-LAPOR! bridge."))
    scopes = CheckboxesField(_l("What it may do"), choices=lambda: options((s.value, s.label) for s in ApiScope),
                             validators=[DataRequired(message=_l("Choose at least one scope."))])


class RevokeForm(Form):
    pass


@bp.route(BASE, methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def index():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        _token, secret = tokens.issue(bound_tenant(), form.name.data, [ApiScope(s) for s in form.scopes.data],
                                      by=current_user)
        db.session.commit()
        form = TokenForm(formdata=None)
    status = 422 if form.errors else 200
    response = make_response(render_template("admin/api_tokens.html", form=form, secret=secret,
                                             tokens=tokens.of_office(), revoke=RevokeForm()), status)
    response.headers["Cache-Control"] = "no-store"  # the page may carry a secret
    return response


@bp.post(f"{BASE}/<int:token_id>/revoke")
@require(Permission.MANAGE_OFFICE)
def revoke(token_id: int):
    token = db.session.execute(select(ApiToken).where(ApiToken.id == token_id)).scalar_one_or_none()
    if token is None:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    tokens.revoke(token, by=current_user)
    db.session.commit()
    flash(_("The token \u201c%(name)s\u201d no longer works.", name=token.name), "success")
    return redirect_htmx(url_for(".index"))
