"""Forms of the decree pages: publishing a draft and the simulator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, Regexp, ValidationError

from ..forms import CheckboxesField, Form
from .durations import LONGEST, format_duration, parse_duration


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

    def validate_delay(self, field: Field) -> None:
        """The pattern lets any number through; the duration itself must also be one a decree measures."""
        if field.errors or not field.data:
            return
        try:
            parse_duration(field.data.replace(" ", ""))
        except ValueError:
            raise ValidationError(_l("A delay can be at most %(longest)s.", longest=format_duration(LONGEST))) from None
