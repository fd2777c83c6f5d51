"""API tokens: issued and revoked by the office's members, presented by the office's other systems.

The secret is shown once, at issue; only its digest is stored. A token acts for its own
office only, with the permissions its scopes grant (``permissions.SCOPE_PERMISSIONS``) that
its issuer also holds, and only while the issuer could still issue it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from ..audit.log import record
from .. import clock
from ..database import across_offices
from ..extensions import db
from ..tenancy.models import Tenant
from ..tenancy.scoping import every_office
from .models import ApiScope, ApiToken, User
from .permissions import issuable_scopes, token_is_backed


class ScopeNotAllowed(Exception):
    """The issuer asked for a scope beyond their own permissions."""

#: Every secret starts with this, so scanners and people can tell what leaked.
SECRET_PREFIX = "tgp_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(tenant: Tenant, name: str, scopes: Iterable[ApiScope], *, by: User) -> tuple[ApiToken, str]:
    """A new token and its secret, which the caller shows once and never stores.

    Refuses (``ScopeNotAllowed``) any scope the issuer may not give: a token never carries
    more than the person who made it.
    """
    scopes = list(scopes)
    if not set(scopes) <= set(issuable_scopes(by, tenant)):
        raise ScopeNotAllowed
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(tenant_id=tenant.id, name=name.strip(), prefix=secret[:10], digest=_digest(secret),
                     scopes=sorted({scope.value for scope in scopes}), created_by=by,
                     issuer_role=by.role_in(tenant))
    db.session.add(token)
    db.session.flush()
    record("api_token.issued", tenant_id=tenant.id, actor=by, obj=token,
           after={"name": token.name, "prefix": token.prefix, "scopes": token.scopes})
    return token, secret


def authenticate(secret: str | None) -> ApiToken | None:
    """The live token with this secret, of an active office, still backed by its issuer; None otherwise.

    Read across offices on purpose, through the cross-office role for this one look-up by
    digest: the token is what tells which office the call is for.
    """
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    with across_offices():
        token = db.session.execute(
            every_office(select(ApiToken).where(ApiToken.digest == _digest(secret), ApiToken.revoked_at.is_(None)))
        ).scalar_one_or_none()
        backed = token is not None and token.tenant.active and token_is_backed(token)
    if token is None or not backed:
        return None
    return token


def revoke(token: ApiToken, *, by: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = clock.now()
    record("api_token.revoked", tenant_id=token.tenant_id, actor=by, obj=token,
           before={"name": token.name, "prefix": token.prefix, "scopes": token.scopes})


def of_office() -> list[ApiToken]:
    """The bound office's tokens, live ones first."""
    return list(db.session.execute(
        select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).scalars())


#: A secret, or an Open311 api_key in a logged URL: what the log filter blanks out.
_SECRETS = re.compile(r"tgp_[A-Za-z0-9_-]+|(api_key=)[^&\s\"]+")


def redact(text: str) -> str:
    return _SECRETS.sub(lambda m: (m.group(1) or "") + "[redacted]", text)


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return record

    make_record.redacts = True  # type: ignore[attr-defined]
    return make_record


def keep_secrets_out_of_logs() -> None:
    """Blank tokens out of every log record, whoever logs it and whichever handler writes it:
    access logs (werkzeug's, gunicorn's) print whole URLs, and a client may put an api_key in one."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacts", False):
        logging.setLogRecordFactory(_redacting(factory))
