"""Forms of the decree pages: publishing a draft and the simulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..forms import CheckboxesField, Form
from .drafts import REASON_MIN_LENGTH, Backdating
from .durations import LONGEST, DurationTooLong, parse_duration
from .duration_words import duration_words


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
    """Publishing a draft; a date that reaches back is confirmed, with a reason (``drafts.backdating``)."""

    effective_from = DateField(_l("In force from"), validators=[DataRequired(
        message=_l("Choose the date the decree is in force from."))])
    confirm_backdated = BooleanField(_l("I confirm that this version takes effect from this earlier date."))
    reason = TextAreaField(_l("Reason for the earlier date"), description=_l(
        "For the audit log, e.g. the decree was signed on that date and published late."))
    #: Set on the confirmation step: from there, a missing answer is an error beside its field.
    asked = HiddenField()

    def confirms(self, backdating: Backdating | None) -> bool:
        """Whether the admin confirmed what ``backdating`` reaches back over; each missing
        answer gets its message beside its field."""
        if backdating is None:
            return True
        if not self.confirm_backdated.data:
            self.confirm_backdated.errors = [*self.confirm_backdated.errors, _l(
                "Tick this box to publish with an effective date in the past.")]
        if len((self.reason.data or "").strip()) < REASON_MIN_LENGTH:
            self.reason.errors = [*self.reason.errors, _l(
                "Say in a sentence why this version takes effect from an earlier date.")]
        return not (self.confirm_backdated.errors or self.reason.errors)


class SimulatorForm(Form):
    components = CheckboxesField(
        _l("Broken components"), validators=[DataRequired(message=_l("Choose at least one component."))],
    )
    delay = DurationField(_l("Delay"), description=_l("How long the citizen waited, e.g. 45 minutes, 2 hours, 3 days."))
    overcharge = IntegerField(_l("Overcharge (Rupiah)"), validators=[Optional(), NumberRange(min=0)])
