"""Forms of the decree pages: publishing a draft and the simulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..forms import CheckboxesField, Form
from .durations import LONGEST, DurationTooLong, parse_duration
from .wording import duration_words


class DurationField(StringField):
    """A duration typed in words or short units, read by the one parser (``durations``).

    ``data`` stays the text as typed, so a refused value is shown back unchanged; ``delta`` is
    the parsed duration (None when empty).
    """

    delta: timedelta | None = None

    def pre_validate(self, form: Any) -> None:
        self.delta = None
        text = (self.data or "").strip()
        if not text:
            return
        try:
            self.delta = parse_duration(text)
        except DurationTooLong:
            raise ValidationError(_("A delay can be at most %(longest)s.", longest=duration_words(LONGEST))) from None
        except ValueError:
            raise ValidationError(_l("Write how long, e.g. 45 minutes, 2 hours, 3 days, 1 week or 1 day 12 hours.")) from None


class PublishForm(Form):
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])


class SimulatorForm(Form):
    components = CheckboxesField(
        _l("Broken components"), validators=[DataRequired(message=_l("Choose at least one component."))],
    )
    delay = DurationField(_l("Delay"), description=_l("How long the citizen waited, e.g. 45 minutes, 2 jam, 3 days."))
    overcharge = IntegerField(_l("Overcharge (Rupiah)"), validators=[Optional(), NumberRange(min=0)])
