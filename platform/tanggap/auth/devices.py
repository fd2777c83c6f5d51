"""Browsers an account has logged in from before, so that throttling a guessed account does
not lock its owner out.

Failed log-ins are limited per address and account, and per account across all addresses
(an attacker may rotate addresses). The per-account limit does not apply in a browser that
carries this signed cookie for the account: it is set by a successful log-in or password
reset, which only the owner can achieve, and an attacker cannot forge it.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from werkzeug.wrappers import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "tanggap_device"
_SALT = "tanggap.known-device"
#: How long a browser stays known without logging in again.
MAX_AGE = 180 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _account(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def remember(response: Response, email: str) -> Response:
    """Mark this browser as one the account's owner uses."""
    response.set_cookie(COOKIE, _serializer().dumps(_account(email)), max_age=MAX_AGE, httponly=True,
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), samesite="Lax")
    return response


def known() -> bool:
    """True when this browser has logged in to the account named in the log-in form before."""
    cookie = request.cookies.get(COOKIE)
    email = request.form.get("email") or ""
    if not cookie or not email:
        return False
    try:
        return _serializer().loads(cookie, max_age=MAX_AGE) == _account(email)
    except BadSignature:
        return False
