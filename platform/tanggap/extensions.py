"""Every Flask extension, created here unbound and bound to the app in ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import request
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .database import Base, RoutingSession

db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
if TYPE_CHECKING:
    # db.Model is built at run time from Base plus Flask-SQLAlchemy's mixins (table names,
    # binds, .query), so a type checker cannot follow it; what the models use of it is Base's.
    Model = Base
else:
    #: The base every model subclasses: ``db.Model``.
    Model = db.Model
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
babel = Babel()
htmx = HTMX()
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address)


def login_email_key() -> str:
    """Rate-limit key for log-in attempts on one account from anywhere, whether or not it exists."""
    return "login:" + (request.form.get("email") or "").strip().lower()


def login_pair_key() -> str:
    """Rate-limit key for log-in attempts on one account from one client address."""
    return f"login:{request.remote_addr or '?'}:" + (request.form.get("email") or "").strip().lower()
