"""Staff's notification bell and list, the office admin's channel settings with a test message,
and the messaging gateway's delivery receipts."""

from __future__ import annotations

import secrets

from flask import Blueprint, current_app, flash, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, update

from ..audit.log import record
from ..auth.permissions import Permission, require
from .. import clock
from ..database import commit_progress, discard, whole_number
from ..extensions import csrf, db, limiter
from ..tenancy.context import bound_tenant
from ..web import external_url, redirect_htmx
from . import receipts
from .forms import ChannelForm
from .models import GatewayKind, StaffNotification, new_secret
from .outbox import notify_staff, queue_email, queue_webhook, settings_of

bp = Blueprint("notifications", __name__)
BASE = "/<tenant_slug>/staff/notifications"
#: A gateway reports each message once or twice; this is far above that, and far below a flood.
RECEIPT_LIMIT = "600 per minute"


def _receipt_limit() -> str:
    return current_app.config.get("GATEWAY_RECEIPT_LIMIT", RECEIPT_LIMIT)


def _mine():
    return select(StaffNotification).where(StaffNotification.user_id == current_user.id)


@bp.get(f"{BASE}/bell")
@require(Permission.VIEW_STAFF_PAGES)
def bell():
    """The bell's count; htmx asks for it every half minute."""
    unread = db.session.execute(
        select(func.count(StaffNotification.id)).where(StaffNotification.user_id == current_user.id,
                                                       StaffNotification.read_at.is_(None))
    ).scalar_one()
    response = render_template("notifications/_bell.html", unread=unread)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get(f"{BASE}/")
@require(Permission.VIEW_STAFF_PAGES)
def index():
    notifications = db.session.execute(_mine().order_by(StaffNotification.id.desc()).limit(100)).scalars().all()
    return render_template("notifications/index.html", notifications=notifications)


@bp.post(f"{BASE}/read")
@require(Permission.VIEW_STAFF_PAGES)
def mark_read():
    chosen = whole_number(request.form.get("id"))
    if request.form.get("id") and not chosen:
        return redirect_htmx(url_for(".index"))  # no such notification: nothing to mark
    statement = update(StaffNotification).where(StaffNotification.user_id == current_user.id,
                                                StaffNotification.tenant_id == bound_tenant().id,
                                                StaffNotification.read_at.is_(None))
    if chosen:
        statement = statement.where(StaffNotification.id == chosen)
    db.session.execute(statement.values(read_at=clock.now()).execution_options(synchronize_session=False))
    return redirect_htmx(url_for(".index"))


@bp.route(f"{BASE}/settings", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def settings():
    tenant = bound_tenant()
    channels = settings_of(tenant.id)
    form = ChannelForm(obj=channels)
    if not form.is_submitted():
        form.gateway_token.data = ""  # never shown again once saved; left empty, the saved one stays
    form.saved_token = bool(channels.gateway_token)
    if form.validate_on_submit():
        before = _channel_facts(channels)
        channels.email_enabled = form.email_enabled.data
        channels.webhook_url = (form.webhook_url.data or "").strip() or None
        if form.new_secret.data:
            channels.webhook_secret = new_secret()
        channels.gateway_enabled = form.gateway_enabled.data
        channels.gateway_kind = GatewayKind(form.gateway_kind.data)
        channels.gateway_url = (form.gateway_url.data or "").strip() or None
        if (form.gateway_token.data or "").strip():
            channels.gateway_token = form.gateway_token.data.strip()
        if form.new_gateway_secret.data:
            channels.gateway_secret = new_secret()
        record("channels.changed", tenant_id=tenant.id, actor=current_user, obj=channels, before=before,
               after={**_channel_facts(channels), "new_secret": bool(form.new_secret.data),
                      "new_gateway_secret": bool(form.new_gateway_secret.data),
                      "new_gateway_token": bool((form.gateway_token.data or "").strip())})
        flash(_("Channels saved."), "success")
        return redirect_htmx(url_for(".settings"))
    commit_progress()  # the settings row, made on first visit, stays even when the form is refused
    return render_template("notifications/settings.html", form=form, channels=channels,
                           receipt_address=external_url("notifications.gateway_receipt")), \
        422 if form.is_submitted() else 200


def _channel_facts(channels) -> dict[str, object]:
    """What the audit log keeps of a change of channels: never a secret or a token."""
    return {"email_enabled": channels.email_enabled, "webhook_url": channels.webhook_url,
            "gateway_enabled": channels.gateway_enabled, "gateway_kind": channels.gateway_kind.value,
            "gateway_url": channels.gateway_url}


@bp.post(f"{BASE}/settings/test")
@require(Permission.MANAGE_OFFICE)
def test_message():
    """Send one message on each channel that is on, so the admin sees the set-up work."""
    tenant = bound_tenant()
    channels = settings_of(tenant.id)
    # Each press is a test of its own: a key of the second it was pressed made a double click's
    # second message collide with the first's in the outbox (a 500).
    key = f"test:{tenant.id}:{current_user.id}:{secrets.token_hex(8)}"
    subject = _("Test message from Tanggap")
    body = _("This is a test of the channels of %(office)s.", office=tenant.name.get("id", tenant.slug))
    notify_staff(tenant_id=tenant.id, user_id=current_user.id, subject=subject, body=body, key=key)
    if channels.email_enabled:
        queue_email(tenant_id=tenant.id, to=current_user.email, subject=subject, body=body, key=f"{key}:email")
    if channels.webhook_url:
        queue_webhook(tenant_id=tenant.id, url=channels.webhook_url, key=f"{key}:webhook",
                      payload={"event": "test", "office": tenant.slug, "text": body})
    flash(_("Test message sent on every channel that is on."), "success")
    return redirect_htmx(url_for(".settings"))


@bp.post("/<tenant_slug>/gateway/receipts")
@csrf.exempt  # the gateway's HMAC signature, never a browser's cookie, authorises it
@limiter.limit(_receipt_limit)
def gateway_receipt():
    """The messaging gateway's signed delivery receipt (docs/messaging-gateway.md)."""
    try:
        changed = receipts.record(bound_tenant().id, request.get_data(cache=False),
                                  request.headers.get("X-Tanggap-Signature"))
    except receipts.ReceiptRefused as refused:
        discard()
        return jsonify(error=str(refused)), refused.refusal.value
    return jsonify(recorded=changed)
