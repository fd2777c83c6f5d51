"""The leader's assessment form and the officer's delivery form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (DateTimeLocalField, IntegerField, MultipleFileField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from ..complaints.attachments import MAX_FILE_BYTES, MAX_FILES
from ..complaints.forms import WAIT_UNIT_CHOICES, WAIT_UNITS
from ..decrees.durations import parse_duration
from ..forms import CheckboxesField, Form, options
from . import methods


class DelayField(IntegerField):
    """The measured delay: in words through the decrees' one parser ("2 hari", "45 minutes"), or,
    as the API has always sent it, a bare number counted in ``delay_unit``.

    An ``IntegerField`` to the API (its JSON type stays a number), but the text is kept as
    typed, so a page shows "2 hari" and a refused value comes back unchanged.
    """

    #: A text box: a browser shows nothing of "2 hari" in a number input.
    widget = TextInput()
    #: The most of a unit a bare number may count (100,000 minutes is about ten weeks).
    LARGEST = 100_000
    delta: timedelta | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = valuelist[0] if valuelist else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)

    def prefill(self, words: str) -> None:
        """Start the field from a delay written in words ("2 hari"), as the leader would type it."""
        self.data = words  # type: ignore[assignment]  # text until read; see ``read``

    def read(self, unit: str | None) -> timedelta | None:
        """The delay typed, or None when empty; ValueError when it cannot be read."""
        text = str(self.data if self.data is not None else "").strip()
        if not text:
            return None
        if text.isascii() and text.isdigit():
            if int(text) > self.LARGEST:
                raise ValueError(text)
            return timedelta(minutes=int(text) * WAIT_UNITS.get(unit or "minutes", 1))
        return parse_duration(text)

    def pre_validate(self, form: Any) -> None:
        try:
            self.delta = self.read(form.delay_unit.data)
        except ValueError:
            self.delta = None
            raise ValidationError(_l("Write how long, e.g. 45 minutes, 2 hours, 3 days, 1 week or 1 day 12 hours.")) from None


class AssessmentForm(Form):
    upheld = RadioField(_l("Finding"), choices=options([
        ("yes", _l("Upheld: the service did not meet its standard")),
        ("no", _l("Not upheld")),
    ]), validators=[InputRequired(message=_l("Choose upheld or not upheld."))])
    components = CheckboxesField(_l("Components in fact not met"))
    delay_amount = DelayField(_l("Measured delay"), description=_l(
        "How late the service was, e.g. 45 minutes, 2 hours, 2 days or 1 day 12 hours; it decides the souvenir category."))
    #: Only for a bare number (the API's ``delay_amount`` with ``delay_unit``); the page writes words.
    delay_unit = SelectField(_l("Unit of the delay"), choices=WAIT_UNIT_CHOICES, default="minutes")
    overcharge = IntegerField(_l("Charged over the tariff (Rupiah)"),
                              validators=[Optional(), NumberRange(min=0, max=1_000_000_000)],
                              description=_l("This amount is refunded."))
    officer = SelectField(_l("Responsible officer"), coerce=str, default="")
    added = CheckboxesField(_l("Further compensation the decree allows (optional)"))
    souvenir_tier = SelectField(_l("Souvenir category"), coerce=str, default="")
    souvenir_item = StringField(_l("Souvenir to give"), validators=[Optional(), Length(max=200)])
    reasoning = TextAreaField(_l("Reasoning (for the file)"), validators=[Length(max=10000)])
    explanation = TextAreaField(_l("Explanation for the citizen"), validators=[Length(max=5000)],
                                description=_l("Required when the complaint is not upheld; the citizen reads it."))

    def delay_minutes(self) -> int | None:
        """The measured delay in whole minutes, or None when none (or nothing readable) was given.

        The live preview asks before the form is validated, so this reads the field itself.
        """
        try:
            delay = self.delay_amount.read(self.delay_unit.data)
        except ValueError:
            return None  # said beside the field when the leader confirms
        return None if delay is None else delay // timedelta(minutes=1)


class DeliveryForm(Form):
    delivered_at = DateTimeLocalField(_l("Delivered at (office time)"), format="%Y-%m-%dT%H:%M",
                                      validators=[InputRequired(message=_l("Give the date and time."))])
    #: Every method here; the page offers, and the delivery step allows, those of the item's kind.
    method = SelectField(_l("How"), choices=options((m.value, label) for m, label in methods.LABELS.items()))
    refunded_amount = IntegerField(_l("Amount refunded (Rupiah)"),
                                   validators=[Optional(), NumberRange(min=1, max=1_000_000_000)])
    overpay_reason = TextAreaField(_l("Why more than the amount owed (only if so)"),
                                   validators=[Optional(), Length(max=2000)],
                                   description=_l("The office's leaders read this reason on the complaint."))
    receipt_number = StringField(_l("Receipt number"), validators=[Optional(), Length(max=80)])
    souvenir_given = StringField(_l("Souvenir handed over"), validators=[Optional(), Length(max=200)])
    voucher = StringField(_l("Priority voucher or queue number used"), validators=[Optional(), Length(max=80)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    files = MultipleFileField(
        _l("Evidence (optional)"),
        description=_l("Up to %(count)d files: photos (JPEG, PNG, WebP) or PDF, at most %(size)d MB each.",
                       count=MAX_FILES, size=MAX_FILE_BYTES // (1024 * 1024)),
    )
