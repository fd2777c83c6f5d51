"""Asking a person who already has an account to join an office (or to inspect a region).

An existing account is never changed by someone else's invitation: it gets a signed link
that grants nothing by itself. Only that person, logged in as themselves, accepts; the
link then adds the membership it names and nothing else. No password token is ever mailed
to an account that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from ..audit.log import record
from ..extensions import db
from ..i18n import localized
from ..tenancy.context import bound_to
from ..tenancy.models import Region, Tenant
from .models import InspectorScope, Membership, Role, User

_SALT = "tanggap-invitation"
#: An invitation left unanswered this long has to be sent again.
MAX_AGE = 7 * 24 * 3600


@dataclass(frozen=True)
class Invitation:
    """What accepting grants: a role in one office, or one region to inspect."""

    user_id: int
    tenant_id: int | None = None
    role: Role | None = None
    region_id: int | None = None

    def place(self) -> Tenant | Region | None:
        if self.tenant_id is not None:
            return db.session.get(Tenant, self.tenant_id)
        return db.session.get(Region, self.region_id) if self.region_id is not None else None

    def place_name(self) -> str:
        place = self.place()
        if isinstance(place, Tenant):
            return localized(place.name)
        return place.name if place is not None else ""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _state(invitation: Invitation) -> str:
    """What the account has now of what the invitation offers; accepting changes it, so a link works once."""
    if invitation.tenant_id is not None:
        role = db.session.execute(select(Membership.role).where(
            Membership.user_id == invitation.user_id, Membership.tenant_id == invitation.tenant_id)).scalar()
        return role.value if role is not None else "none"
    scoped = db.session.execute(select(InspectorScope.id).where(
        InspectorScope.user_id == invitation.user_id, InspectorScope.region_id == invitation.region_id)).first()
    return "scoped" if scoped else "none"


def token_for(invitation: Invitation) -> str:
    return _serializer().dumps({
        "user": invitation.user_id, "tenant": invitation.tenant_id, "region": invitation.region_id,
        "role": invitation.role.value if invitation.role else None, "state": _state(invitation),
    })


def read(token: str, user: User) -> Invitation | None:
    """The invitation in ``token`` if it is for ``user``, unexpired and not yet accepted."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
        invitation = Invitation(user_id=int(data["user"]), tenant_id=data["tenant"], region_id=data["region"],
                                role=Role(data["role"]) if data["role"] else None)
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if invitation.user_id != user.id or invitation.place() is None or data.get("state") != _state(invitation):
        return None
    return invitation


def heads_by_default(tenant_id: int, role: Role) -> bool:
    """A leader joining an office with no head of office becomes its head, so escalations reach
    someone from the start; the office admin may mark another (alert settings)."""
    return role is Role.LEADER and db.session.execute(select(Membership.id).where(
        Membership.tenant_id == tenant_id, Membership.head_of_office).limit(1)).first() is None


def accept(invitation: Invitation, user: User) -> None:
    """The invited person said yes: grant what the invitation names, audited; the caller commits."""
    if invitation.tenant_id is not None and invitation.role is not None:
        membership = db.session.execute(select(Membership).where(
            Membership.user_id == user.id, Membership.tenant_id == invitation.tenant_id)).scalar_one_or_none()
        if membership is None:
            db.session.add(Membership(user_id=user.id, tenant_id=invitation.tenant_id, role=invitation.role,
                                      head_of_office=heads_by_default(invitation.tenant_id, invitation.role)))
        else:
            membership.role = invitation.role
        tenant = db.session.get(Tenant, invitation.tenant_id)
        assert tenant is not None
        # The link is opened outside any office's pages: the entry goes to the inviting
        # office's chain as that office, which is the only way PostgreSQL's wall admits it.
        with bound_to(tenant):
            record("membership.accepted", tenant_id=invitation.tenant_id, actor=user, obj=user,
                   after={"email": user.email, "role": invitation.role.value})
    elif invitation.region_id is not None:
        db.session.add(InspectorScope(user_id=user.id, region_id=invitation.region_id))
        record("inspector.accepted", tenant_id=None, actor=user, obj=user,
               after={"email": user.email, "region_id": invitation.region_id})
