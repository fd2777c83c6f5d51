"""The office admin's alert points and head of office."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, FieldList, FormField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp

from ..forms import CheckboxesField, Form, options


class PointForm(Form):
    class Meta:
        csrf = False

    code = StringField(_l("Name"), validators=[Optional(), Length(max=40),
                                               Regexp(r"^[a-z0-9_]+$", message=_l("Lower-case letters, digits and _ only."))])
    anchor = SelectField(_l("Counted"), default="deadline", choices=options([
        ("deadline", _l("hours from the deadline (negative: before it)")),
        ("share", _l("per cent of the time gone")),
    ]))
    value = DecimalField(_l("Value"), validators=[Optional(), NumberRange(min=-720, max=720)])
    escalate = BooleanField(_l("Escalation: also to the head of office"))


class AlertSettingsForm(Form):
    points = FieldList(FormField(PointForm), min_entries=6, max_entries=6)
    heads = CheckboxesField(_l("Head of office (receives escalations)"))
