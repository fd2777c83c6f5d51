"""What happens to accounts: log-in bookkeeping, password changes, reset mail, look-ups.

Each change is audited in the platform's chain (accounts are not any one office's).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit.log import record
from .. import clock
from .. import mailer
from ..extensions import db
from ..jobs import app_context, enqueue
from ..tenancy.models import Tenant
from .models import Membership, User
from ..web import external_url
from .passwords import reset_token, set_password


def user_by_id(user_id: object) -> User | None:
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def logged_in(user: User) -> None:
    user.last_login_at = clock.now()
    record("auth.login", tenant_id=None, actor=user, obj=user)


def end_sessions(user: User, *, action: str) -> None:
    """Every session of ``user`` stops working at its next request."""
    user.session_version += 1
    record(action, tenant_id=None, actor=user, obj=user)


def change_password(user: User, password: str, *, action: str = "auth.password_changed") -> None:
    set_password(user, password)
    record(action, tenant_id=None, actor=user, obj=user)


def reset_later(email: str) -> Callable[[], None]:
    """What a reset request leaves to be done once its response has gone out.

    The request itself does the same for every address (validate, answer, hand this on),
    so neither its answer nor its timing tells whether an account exists: the look-up and
    the mail happen in the job, after the response.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def hand_over() -> None:
        with app.app_context():
            enqueue(mail_reset_link, email, queue_name="notifications")

    return hand_over


def mail_reset_link(email: str) -> None:
    """The job: mail the link if the address has an account."""
    with app_context():
        send_reset_link(email)


def send_reset_link(email: str) -> None:
    """Mail a reset link if ``email`` has an active account; silently nothing otherwise."""
    user = db.session.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
    if user is None or not user.active:
        return
    link = external_url("auth.reset", token=reset_token(user))
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Set a new Tanggap password")
        body = render_template("auth/mail/reset.txt", user=user, link=link)
    mailer.send(subject, [user.email], body)
    current_app.logger.info("password reset link sent to user %s", user.id)


def memberships(user: User) -> list[Membership]:
    active = [m for m in user.memberships if m.tenant.active]
    return sorted(active, key=lambda m: m.tenant.slug)


def landing_url(user: User) -> str:
    """Where a user goes after logging in: their only office, or the list of offices."""
    offices = memberships(user)
    if len(offices) == 1:
        return url_for("auth.staff_home", tenant_slug=offices[0].tenant.slug)
    if not offices and user.is_operator:
        return url_for("console.home")
    if not offices and user.inspector_scopes:
        return url_for("inspectorate.overview")
    return url_for("auth.offices")


def members_of(tenant: Tenant) -> list[Membership]:
    return list(
        db.session.execute(
            select(Membership).join(User).where(Membership.tenant_id == tenant.id).order_by(Membership.role, User.name)
        ).scalars()
    )
