"""Log-in, log-out, passwords, choosing an office, and each office's staff home."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from ..extensions import db, limiter, login_email_key, login_pair_key
from ..forms import given
from ..web import safe_next_url
from . import accounts, devices, invitations
from .forms import AcceptInvitationForm, LoginForm, PasswordChangeForm, ResetForm, ResetRequestForm
from .models import User
from .passwords import check_password, upgrade_hash, user_for_reset_token
from .permissions import Permission, require

bp = Blueprint("auth", __name__)


def _failed(response) -> bool:
    return response.status_code == 422


#: Failed log-ins from one address, whatever the accounts.
ADDRESS_LIMIT = "20 per minute"
#: Failed log-ins on one account from one address: slows a guesser down hard.
PAIR_LIMIT = "5 per 15 minutes"
#: Failed log-ins on one account from every address (an attacker rotating addresses). Short, and
#: not applied in a browser the owner has logged in from (``devices``), so it cannot lock them out.
ACCOUNT_LIMIT = "10 per 10 minutes"


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(PAIR_LIMIT, methods=["POST"], key_func=login_pair_key, deduct_when=_failed)
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=login_email_key, deduct_when=_failed,
               exempt_when=devices.known)
def login():
    if current_user.is_authenticated:
        return redirect(accounts.landing_url(current_user))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200
    email = form.email.data.strip().lower()
    user = db.session.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
    if not check_password(user, form.password.data) or not user.active:
        # One message whether or not the address exists.
        form.password.errors.append(_("The e-mail or password is not right."))
        return render_template("auth/login.html", form=form), 422
    upgrade_hash(user, form.password.data)
    session.clear()  # a new session on log-in: nothing carried over from before
    login_user(user, remember=form.remember.data)
    accounts.logged_in(user)
    return devices.remember(redirect(safe_next_url(request.args.get("next")) or accounts.landing_url(user)),
                            user.email)


@bp.post("/auth/logout")
@login_required
def logout():
    accounts.end_sessions(current_user._get_current_object(), action="auth.logout")
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/auth/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form), 422 if form.is_submitted() else 200
    if not check_password(current_user, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return render_template("auth/password.html", form=form), 422
    user = current_user._get_current_object()
    accounts.change_password(user, form.new_password.data)
    login_user(user)  # this session continues under the new version; others end
    flash(_("Your password has been changed. Other devices have been logged out."), "success")
    return redirect(accounts.landing_url(current_user))


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form), 422 if form.is_submitted() else 200
    # Said whether or not the address has an account; the look-up happens after the answer.
    flash(_("If an account uses this address, a link to set a new password is on its way."), "info")
    response = redirect(url_for("auth.login"))
    response.call_on_close(accounts.reset_later(form.email.data.strip().lower()))
    return response


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user = user_for_reset_token(token, accounts.user_by_id)
    if user is None:
        flash(_("This link has expired or has already been used. Ask for a new one."), "warning")
        return redirect(url_for("auth.reset_request"))
    form = ResetForm()
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form), 422 if form.is_submitted() else 200
    accounts.change_password(user, given(form.new_password.data), action="auth.password_reset")
    flash(_("Your new password is set. Log in with it."), "success")
    return devices.remember(redirect(url_for("auth.login")), user.email)


@bp.route("/auth/invitation/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    """An existing account's invitation: shown to the person it names, granted when they accept."""
    user = current_user._get_current_object()
    found = invitations.read(token, user)
    if found is None:
        flash(_("This invitation is not for this account, has expired or has already been accepted."), "warning")
        return redirect(accounts.landing_url(user))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        invitations.accept(found, user)
        flash(_("Invitation accepted."), "success")
        return redirect(accounts.landing_url(user))
    return render_template("auth/invitation.html", form=form, place=found.place_name(), role=found.role)


@bp.get("/auth/offices")
@login_required
def offices():
    return render_template("auth/offices.html", memberships=accounts.memberships(current_user))


#: ``app.extensions`` key of the staff home's page. What needs a person now is read from the
#: complaints, a feature above auth, so that feature supplies the page (``create_app`` registers
#: it) and this route, where every log-in lands, only guards and calls it.
HOME_PAGE = "tanggap.staff_home"


@bp.get("/<tenant_slug>/staff/")
@require(Permission.VIEW_STAFF_PAGES)
def staff_home():
    return current_app.extensions[HOME_PAGE]()
