"""Log-in and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import Form

PASSWORD_MIN_LENGTH = 10


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("New password"),
            validators=[DataRequired(), Length(min=PASSWORD_MIN_LENGTH, max=200)],
            description=_l("At least %(count)d characters.", count=PASSWORD_MIN_LENGTH),
        ),
        PasswordField(
            _l("Repeat the new password"),
            validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
        ),
    )


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password, confirm = _new_password_fields()


class ResetRequestForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])


class ResetForm(Form):
    new_password, confirm = _new_password_fields()


class AcceptInvitationForm(Form):
    """Only the button: the invitation's link says what is accepted, the session says by whom."""
