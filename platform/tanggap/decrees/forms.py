"""Forms of the decree pages: publishing a draft and the simulator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Field, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional, Regexp, ValidationError

from ..forms import CheckboxesField, Form
from .drafts import REASON_MIN_LENGTH, Backdating
from .durations import LONGEST, format_duration, parse_duration


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
