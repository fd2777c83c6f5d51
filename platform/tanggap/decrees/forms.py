"""Forms of the decree pages: publishing a draft and the simulator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, Regexp

from ..forms import CheckboxesField, Form


class PublishForm(Form):
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])


class SimulatorForm(Form):
    components = CheckboxesField(
        _l("Broken components"), validators=[DataRequired(message=_l("Choose at least one component."))],
    )
    delay = StringField(_l("Delay"), validators=[Optional(), Regexp(r"^\s*(\d+\s*[mhdw]\s*)+$",
                        message=_l("Write a duration like 45m, 2h, 3d or 1w."))],
                        description=_l("How long the citizen waited, e.g. 45m, 2h, 3d."))
    overcharge = IntegerField(_l("Overcharge (Rupiah)"), validators=[Optional(), NumberRange(min=0)])
