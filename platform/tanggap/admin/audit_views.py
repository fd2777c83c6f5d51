"""The office's audit log, for its leaders and admins, with the chain's verdict.

A face over the audit feature: the page is guarded by auth's permissions, which the audit
log itself (written by auth among others) cannot depend on."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from . import audit_words
from ..audit.log import verify
from ..database import whole_number
from ..audit.models import AuditLog
from ..auth.permissions import Permission, require
from ..decrees.store import in_force
from ..extensions import db
from ..tenancy.context import bound_tenant

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


@bp.get("/<tenant_slug>/staff/audit")
@require(Permission.VIEW_AUDIT)
def index():
    tenant = bound_tenant()
    page = db.paginate(
        select(AuditLog)
        .where(AuditLog.tenant_id == tenant.id)
        .options(joinedload(AuditLog.actor))
        .order_by(AuditLog.seq.desc()),
        page=whole_number(request.args.get("page")) or 1,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("audit/index.html", page=page, broken=verify(tenant.id), words=audit_words,
                           names=audit_words.decree_names(in_force(tenant)))
