"""What the console does: onboarding offices (from a decree file or a blank form), regions,
inviting office admins and inspectors. Every change is audited.

Each change is part of its caller's unit of work (the console's request commits it at its
end, or rolls it back with the refusal): these functions flush where they need ids, and
never commit. What must follow the commit (the invitation's mail, forgetting the office
hosts) waits for it (``database.once_committed``)."""

from __future__ import annotations

import secrets
from functools import partial

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit.log import record
from ..auth import invitations
from ..auth.models import InspectorScope, Membership, Role, User
from ..auth.passwords import hash_password, reset_token
from ..decrees.decree_file import DecreeFileError, load_text
from ..decrees.loader import apply
from .. import mailer
from ..database import once_committed
from ..extensions import db
from ..tenancy.logos import LogoRefused, checked_logo
from ..tenancy.models import Region, RegionKind, Tenant
from ..tenancy.setup import RegionLoop, RegionSpec, TenantSpec, set_logo, slug_problem, upsert_region, upsert_tenant
from ..web import external_url


class OnboardingError(ValueError):
    """A file or form the platform refuses, with the problems to show."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _region_loop() -> OnboardingError:
    """``upsert_region``'s refusal of a parent that would loop, in the operator's language."""
    return OnboardingError([_("A region cannot be part of itself or of a region inside it.")])


def from_decree_file(text: str, filename: str, logo: tuple[bytes, str] | None, *, by: User) -> Tenant:
    """Onboard (or update) the office a decree file describes: the loader's own checks apply."""
    try:
        loaded = load_text(text, filename)
    except DecreeFileError as error:
        raise OnboardingError([str(problem) for problem in error.errors]) from error
    try:
        kept = checked_logo(logo[0]) if logo is not None else None  # its content decides, not the type sent
    except LogoRefused as refused:
        raise OnboardingError([str(refused)]) from None
    try:
        tenant, summary = apply(loaded, actor=by)
    except RegionLoop:
        raise _region_loop() from None
    if kept is not None:
        set_logo(tenant, *kept)
    db.session.flush()
    current_app.logger.info("office %s onboarded from %s: %s", tenant.slug, filename, summary)
    return tenant


def blank_office(slug: str, name: dict[str, str], region: Region, timezone: str, locale: str, *, by: User) -> Tenant:
    problem = slug_problem(slug)
    if problem or db.session.execute(select(Tenant.id).where(Tenant.slug == slug)).first():
        raise OnboardingError([problem or _("An office already has this address.")])
    # The region as it stands, parent included: an office joining it must not move it.
    place = RegionSpec(region.slug, region.name, parent=region.parent.slug if region.parent else None,
                       kind=region.kind.value if region.kind else None)
    tenant, _changed = upsert_tenant(TenantSpec(slug=slug, name=name, region=place, timezone=timezone,
                                                default_locale=locale))
    db.session.flush()
    record("tenant.created", tenant_id=tenant.id, actor=by, obj=tenant,
           after={"slug": slug, "name": name, "region": region.slug})
    return tenant


def change_office(tenant: Tenant, name: dict[str, str], region: Region, active: bool, *, by: User,
                  domain: str | None = None) -> None:
    if domain and db.session.execute(select(Tenant.id).where(Tenant.domain == domain, Tenant.id != tenant.id)).first():
        raise OnboardingError([_("Another office already has this host name.")])
    before = {"name": tenant.name, "region": tenant.region.slug, "active": tenant.active, "domain": tenant.domain}
    tenant.name, tenant.region_id, tenant.active, tenant.domain = name, region.id, active, domain
    db.session.flush()
    action = "tenant.changed" if before["active"] == active else ("tenant.reactivated" if active else "tenant.deactivated")
    record(action, tenant_id=tenant.id, actor=by, obj=tenant, before=before,
           after={"name": name, "region": region.slug, "active": active, "domain": domain})
    hosts = current_app.extensions.get("tanggap.office_hosts")
    if hosts is not None:
        once_committed(hosts.forget)


def save_region(slug: str, name: str, kind: str, parent: Region | None, *, by: User) -> Region:
    try:
        region = upsert_region(RegionSpec(slug=slug, name=name, parent=parent.slug if parent else None))
    except RegionLoop:
        raise _region_loop() from None
    region.kind = RegionKind(kind)
    db.session.flush()
    record("region.saved", tenant_id=None, actor=by, obj=region,
           after={"slug": slug, "name": name, "kind": kind, "parent": parent.slug if parent else None})
    return region


def _account(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == email.lower())).scalar_one_or_none()


def _new_person(email: str, name: str) -> User:
    # No password anyone knows: the invitation's one-time link sets the first one.
    user = User(email=email.lower(), name=name, password_hash=hash_password(secrets.token_urlsafe(32)))
    db.session.add(user)
    db.session.flush()
    return user


def invite_admin(tenant: Tenant, email: str, name: str, *, by: User) -> User:
    return invite_member(tenant, email, name, Role.ADMIN, by=by)


def invite_member(tenant: Tenant, email: str, name: str, role: Role, *, by: User) -> User:
    """Invite ``email`` into the office with ``role``.

    A new person's account is made with the membership and a link to set the first
    password. A person who has an account already is only asked: they accept when logged
    in, and until then nothing of theirs changes (no membership, no password token).
    """
    user = _account(email)
    if user is not None:
        record("membership.invited", tenant_id=tenant.id, actor=by, obj=user,
               after={"email": user.email, "role": role.value, "pending": True})
        invitation = invitations.Invitation(user_id=user.id, tenant_id=tenant.id, role=role)
        once_committed(partial(_ask, user, invitation, tenant.name.get("id", tenant.slug)))
        return user
    user = _new_person(email, name)
    db.session.add(Membership(user_id=user.id, tenant_id=tenant.id, role=role,
                              head_of_office=invitations.heads_by_default(tenant.id, role)))
    record("membership.invited", tenant_id=tenant.id, actor=by, obj=user,
           after={"email": user.email, "role": role.value})
    db.session.flush()
    once_committed(partial(_send_invitation, user, tenant.name.get("id", tenant.slug)))
    return user


def change_role(membership: Membership, role: Role | None, *, by: User) -> None:
    """A new role, or (None) the end of the membership; the last admin of an office stays."""
    admins = db.session.execute(select(func.count(Membership.id)).where(
        Membership.tenant_id == membership.tenant_id, Membership.role == Role.ADMIN)).scalar_one()
    if membership.role is Role.ADMIN and role is not Role.ADMIN and admins <= 1:
        raise OnboardingError([_("An office keeps at least one admin.")])
    before = {"role": membership.role.value}
    if role is None:
        db.session.delete(membership)
    else:
        membership.role = role
    record("membership.removed" if role is None else "membership.changed", tenant_id=membership.tenant_id,
           actor=by, object_type="User", object_id=membership.user_id, before=before,
           after={"role": role.value if role else None})


def invite_inspector(region: Region, email: str, name: str, *, by: User) -> User:
    """Invite ``email`` to inspect ``region``; an existing account is asked, as in ``invite_member``."""
    user = _account(email)
    if user is not None:
        record("inspector.invited", tenant_id=None, actor=by, obj=user,
               after={"email": user.email, "region": region.slug, "pending": True})
        once_committed(partial(_ask, user, invitations.Invitation(user_id=user.id, region_id=region.id), region.name))
        return user
    user = _new_person(email, name)
    db.session.add(InspectorScope(user_id=user.id, region_id=region.id))
    record("inspector.invited", tenant_id=None, actor=by, obj=user, after={"email": user.email, "region": region.slug})
    db.session.flush()
    once_committed(partial(_send_invitation, user, region.name))
    return user


def _ask(user: User, invitation: invitations.Invitation, place: str) -> None:
    """An existing account's invitation: a link to accept when logged in, never a password token."""
    link = external_url("auth.invitation", token=invitations.token_for(invitation))
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        mailer.send(_("You are invited to Tanggap"), [user.email],
                    render_template("admin/mail/invitation_existing.txt", user=user, place=place, link=link))


def _send_invitation(user: User, place: str) -> None:
    """A new account's one-time link (the password-reset token: single use, expires) to set the first password."""
    link = external_url("auth.reset", token=reset_token(user))
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        mailer.send(_("You are invited to Tanggap"), [user.email],
                    render_template("admin/mail/invitation.txt", user=user, place=place, link=link))
