"""May this user do X in this office? The one place that answers.

The role matrix below is the whole policy; README.md prints it and a test keeps the two
identical. Views declare what they need with ``@require(Permission.X)`` at the top. Staff
of another office get 404, not 403: they must not even learn what exists there.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import login_manager
from ..tenancy.context import current_tenant
from ..tenancy.models import Tenant
from .models import ApiScope, ApiToken, Role, User


class Permission(enum.Enum):
    """Something a member of an office may do there."""

    VIEW_STAFF_PAGES = "view_staff_pages"
    VIEW_COMPLAINTS = "view_complaints"
    TRIAGE = "triage"
    ASSESS = "assess"
    DELIVER = "deliver"
    ISSUE_LETTERS = "issue_letters"
    CLOSE = "close"
    REOPEN = "reopen"
    TRANSFER = "transfer"
    DECIDE_SANCTION = "decide_sanction"
    VIEW_REPORTS = "view_reports"
    VIEW_AUDIT = "view_audit"
    VIEW_OFFICER_RECORDS = "view_officer_records"
    EDIT_DECREE = "edit_decree"
    MANAGE_OFFICE = "manage_office"
    ISSUE_API_TOKENS = "issue_api_tokens"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS = {
    Permission.VIEW_STAFF_PAGES: _l("Open the office's staff pages"),
    Permission.VIEW_COMPLAINTS: _l("Read complaints and the citizens' details in them"),
    Permission.TRIAGE: _l("Triage complaints (accept, ask for information, refer elsewhere)"),
    Permission.ASSESS: _l("Assess complaints and fix the compensation"),
    Permission.DELIVER: _l("Deliver compensation items and record evidence"),
    Permission.ISSUE_LETTERS: _l("Issue the office's letters to citizens and send them"),
    Permission.CLOSE: _l("Close complaints"),
    Permission.REOPEN: _l("Reopen closed complaints"),
    Permission.TRANSFER: _l("Transfer complaints to another office"),
    Permission.DECIDE_SANCTION: _l("Decide officers' sanctions"),
    Permission.VIEW_REPORTS: _l("Read the office's reports"),
    Permission.VIEW_AUDIT: _l("Read the audit log"),
    Permission.VIEW_OFFICER_RECORDS: _l("Read officers' records"),
    Permission.EDIT_DECREE: _l("Edit the decree (components, matrix, deadline, tiers, sanctions)"),
    Permission.MANAGE_OFFICE: _l("Manage settings, branding, staff and service units"),
    Permission.ISSUE_API_TOKENS: _l("Issue API tokens for the office's systems, never beyond one's own permissions"),
}


#: Every member may issue tokens; what each token may do is bounded by its issuer (``issuable_scopes``).
_EVERYONE = {Permission.VIEW_STAFF_PAGES, Permission.ISSUE_API_TOKENS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset(
        _EVERYONE | {Permission.VIEW_COMPLAINTS, Permission.TRIAGE, Permission.DELIVER, Permission.ISSUE_LETTERS,
                     Permission.CLOSE}
    ),
    Role.LEADER: frozenset(
        _EVERYONE
        | {
            Permission.VIEW_COMPLAINTS,
            Permission.TRIAGE,
            Permission.ASSESS,
            Permission.ISSUE_LETTERS,
            Permission.CLOSE,
            Permission.REOPEN,
            Permission.TRANSFER,
            Permission.DECIDE_SANCTION,
            Permission.VIEW_REPORTS,
            Permission.VIEW_AUDIT,
            Permission.VIEW_OFFICER_RECORDS,
        }
    ),
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            Permission.VIEW_REPORTS,
            Permission.VIEW_AUDIT,
            Permission.VIEW_OFFICER_RECORDS,
            Permission.EDIT_DECREE,
            Permission.MANAGE_OFFICE,
        }
    ),
}


#: What an API token's scopes let it do: the same permissions the lifecycle checks for people.
SCOPE_PERMISSIONS: dict[ApiScope, frozenset[Permission]] = {
    ApiScope.READ: frozenset({Permission.VIEW_COMPLAINTS, Permission.VIEW_REPORTS}),
    ApiScope.WRITE: frozenset({Permission.TRIAGE, Permission.ASSESS, Permission.DELIVER, Permission.CLOSE,
                               Permission.REOPEN}),
    ApiScope.SUBMIT: frozenset(),
}


#: A scope that reaches complaints (it grants any permission) carries the citizens' details with it,
#: so only a member who reads complaints may issue it: leaders and officers, never the office admin.
#: ``submit`` grants nothing a citizen's own form does not, so every member may issue it.
_SCOPE_NEEDS: dict[ApiScope, frozenset[Permission]] = {
    scope: frozenset({Permission.VIEW_COMPLAINTS}) if granted else frozenset()
    for scope, granted in SCOPE_PERMISSIONS.items()
}


def issuable_scopes(user: User | Any, tenant: Tenant | None) -> list[ApiScope]:
    """The scopes ``user`` may put on a token of ``tenant`` now, in the enum's order."""
    if tenant is None or isinstance(user, ApiToken) or not can(user, Permission.ISSUE_API_TOKENS, tenant):
        return []
    return [scope for scope in ApiScope if all(can(user, need, tenant) for need in _SCOPE_NEEDS[scope])]


def token_is_backed(token: ApiToken) -> bool:
    """True while the token's issuer could still issue it: active, in the office, allowed its scopes.

    A token is a delegation, not a credential of its own: when the person behind it is
    deactivated, leaves the office or changes role, the token stops working with them.
    """
    issuer = token.created_by
    if issuer is None or not issuer.active or token.issuer_role is None \
            or issuer.role_in(token.tenant) is not token.issuer_role:
        return False
    allowed = set(issuable_scopes(issuer, token.tenant))
    return all(ApiScope(value) in allowed for value in token.scopes)


def _token_can(token: ApiToken, permission: Permission, tenant: Tenant) -> bool:
    """A token does what its scopes grant and its issuer may still do, never more than either."""
    if token.tenant_id != tenant.id or token.revoked_at is not None or not token_is_backed(token):
        return False
    issuer = token.created_by
    role = issuer.role_in(tenant) if issuer is not None else None
    if role is None or permission not in ROLE_PERMISSIONS[role]:
        return False
    return any(permission in SCOPE_PERMISSIONS[scope] for scope in ApiScope if token.allows(scope))


def can(user: User | ApiToken | Any, permission: Permission, tenant: Tenant | None) -> bool:
    """True when ``user`` holds a role in ``tenant`` (or a token of it a scope) that grants ``permission``."""
    if tenant is None or not getattr(user, "is_authenticated", False):
        return False
    if isinstance(user, ApiToken):
        return _token_can(user, permission, tenant)
    role = user.role_in(tenant)
    return role is not None and permission in ROLE_PERMISSIONS[role]


def is_member(user: User | Any, tenant: Tenant | None) -> bool:
    return getattr(user, "is_authenticated", False) and user.role_in(tenant) is not None


F = TypeVar("F", bound=Callable[..., Any])


def require(permission: Permission) -> Callable[[F], F]:
    """Guard a view of the bound office: log in, be a member (else 404), hold the permission (else 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            tenant = current_tenant()
            if not is_member(current_user, tenant):
                abort(404)
            if not can(current_user, permission, tenant):
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator


def template_context() -> dict[str, Any]:
    """What templates ask of permissions: ``can(Permission.X)`` in the bound office, and the enums.

    Registered by ``create_app`` beside the web's own page context, which sits below auth.
    """
    tenant = current_tenant()
    return {
        "Permission": Permission,
        "Role": Role,
        "can": lambda permission: can(current_user, permission, tenant),
    }


def matrix_rows() -> list[tuple[Permission, dict[Role, bool]]]:
    """The role matrix as rows, for the docs and the staff pages."""
    return [(p, {role: p in ROLE_PERMISSIONS[role] for role in Role}) for p in Permission]
