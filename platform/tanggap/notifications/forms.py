"""The office admin's channel settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, URLField
from wtforms.validators import Length, Optional, URL

from ..forms import Form


class ChannelForm(Form):
    email_enabled = BooleanField(_l("Send alerts and notices by e-mail"))
    webhook_url = URLField(_l("Webhook URL of the office's WhatsApp or SMS gateway (optional)"),
                           validators=[Optional(), URL(require_tld=False, message=_l("Give a full http(s) address.")),
                                       Length(max=500)])
    new_secret = BooleanField(_l("Make a new signing secret (the gateway must be given it)"))
