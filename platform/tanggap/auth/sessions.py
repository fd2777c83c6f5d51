"""Flask-Login wiring: loading the user from the session and refusing stale sessions.

The session holds ``"<user id>:<session version>"``; a version that no longer matches
(after log-out, a password change or deactivation) loads no user, so a copied cookie
cannot be replayed.
"""

from __future__ import annotations

from functools import cache

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import User


def load_user(key: str) -> User | None:
    user_id, _, version = key.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(_user_by_id(), {"user_id": int(user_id)}).unique().scalar_one_or_none()
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


@cache
def _user_by_id() -> Select[tuple[User]]:
    """Every page reads the user's offices and inspected regions (the navigation): one
    statement for the user and both, not three; built once, as only the id differs."""
    return (select(User).where(User.id == bindparam("user_id"))
            .options(joinedload(User.memberships), joinedload(User.inspector_scopes)))


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
