"""The office admin's channel settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, URLField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import Form
from .targets import UnsafeTarget, check


class ChannelForm(Form):
    email_enabled = BooleanField(_l("Send alerts and notices by e-mail"))
    webhook_url = URLField(_l("Webhook URL of the office's WhatsApp or SMS gateway (optional)"),
                           validators=[Optional(), Length(max=500)])
    new_secret = BooleanField(_l("Make a new signing secret (the gateway must be given it)"))

    def validate_webhook_url(self, field: URLField) -> None:
        """Refuse an address the worker could not safely POST to, with the reason (see ``targets``)."""
        if field.data:
            try:
                check(field.data)
            except UnsafeTarget as refused:
                raise ValidationError(refused.reason.message) from None
