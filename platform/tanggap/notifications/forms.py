"""The office admin's channel settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, URLField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from ..forms import Form, options
from .models import GatewayKind
from .targets import UnsafeTarget, check

GATEWAY_KINDS = options([(GatewayKind.SIGNED.value, _l("Signed JSON (Tanggap's own contract)")),
                         (GatewayKind.TOKEN_FORM.value, _l("Provider form API with a token (Fonnte or Wablas style)"))])


def _kind(value: object) -> str:
    """The kind's code, whether the form reads it from the request or from the saved settings."""
    return value.value if isinstance(value, GatewayKind) else str(value)


def _public_address(field: URLField) -> None:
    """Refuse an address the worker could not safely POST to, with the reason (see ``targets``)."""
    if field.data:
        try:
            check(field.data)
        except UnsafeTarget as refused:
            raise ValidationError(refused.reason.message) from None


class ChannelForm(Form):
    email_enabled = BooleanField(_l("Send alerts and notices by e-mail"))
    webhook_url = URLField(_l("Webhook URL of the office's WhatsApp or SMS gateway (optional)"),
                           validators=[Optional(), Length(max=500)])
    new_secret = BooleanField(_l("Make a new signing secret (the gateway must be given it)"))
    gateway_enabled = BooleanField(_l("Tell citizens by WhatsApp or SMS through the messaging gateway"))
    gateway_kind = SelectField(_l("How the gateway is spoken to"), choices=GATEWAY_KINDS, coerce=_kind,
                               default=GatewayKind.SIGNED.value)
    gateway_url = URLField(_l("Address of the messaging gateway"), validators=[Optional(), Length(max=500)])
    gateway_token = PasswordField(_l("The provider's API token (form API only; leave empty to keep the saved one)"),
                                  validators=[Optional(), Length(max=200), Regexp(
                                      r"^[^\r\n]*\Z", message=_l("A token is one line: remove the line breaks."))])
    new_gateway_secret = BooleanField(_l("Make a new gateway secret (the gateway must be given it)"))

    def validate_webhook_url(self, field: URLField) -> None:
        _public_address(field)

    def validate_gateway_url(self, field: URLField) -> None:
        _public_address(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.gateway_enabled.data and not (self.gateway_url.data or "").strip():
            self.gateway_url.errors = [*self.gateway_url.errors, _l("Give the gateway's address to switch it on.")]
            valid = False
        saved_token = getattr(self, "saved_token", False)  # set by the view: the office's token is kept
        if (self.gateway_enabled.data and self.gateway_kind.data == GatewayKind.TOKEN_FORM.value
                and not saved_token and not (self.gateway_token.data or "").strip()):
            self.gateway_token.errors = [*self.gateway_token.errors,
                                         _l("Give the provider's API token: the form API needs it.")]
            valid = False
        return valid
