"""Password hashing with Argon2id, and single-use reset tokens.

A reset token is signed (itsdangerous) and carries the user's session version; setting
the new password bumps that version, so a token works once and an old one never again.
"""

from __future__ import annotations

from contextlib import suppress

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .models import User

_RESET_SALT = "tanggap.password-reset"
#: A hash to verify against when the e-mail is unknown, so both paths take the same time.
_DUMMY = None


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMETERS", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User | None, password: str) -> bool:
    """True when ``password`` is the user's; spends the same effort when there is no user."""
    global _DUMMY
    hasher = _hasher()
    if user is None:
        _DUMMY = _DUMMY or hasher.hash("no such user")
        with suppress(VerificationError, InvalidHashError):
            hasher.verify(_DUMMY, password)
        return False
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def upgrade_hash(user: User, password: str) -> bool:
    """Re-hash a just-verified password when the configured Argon2 parameters have changed.

    Raising the cost only protects accounts whose hash is made with it; the log-in is the one
    moment the plain password is at hand. The session version stays: nothing about the
    password changed, so the user's other sessions go on.
    """
    hasher = _hasher()
    if not hasher.check_needs_rehash(user.password_hash):
        return False
    user.password_hash = hasher.hash(password)
    return True


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "version": user.session_version})


def user_for_reset_token(token: str, load_user) -> User | None:
    """The user a valid, unexpired, unused token was made for; None otherwise."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = load_user(data.get("user"))
    if user is None or not user.active or user.session_version != data.get("version"):
        return None
    return user
