"""The leader's assessment form and the officer's delivery form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (DateTimeLocalField, IntegerField, MultipleFileField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..complaints.attachments import MAX_FILE_BYTES, MAX_FILES
from ..complaints.forms import WAIT_UNIT_CHOICES, WAIT_UNITS
from ..forms import CheckboxesField, Form, options
from . import methods


class AssessmentForm(Form):
    upheld = RadioField(_l("Finding"), choices=options([
        ("yes", _l("Upheld: the service did not meet its standard")),
        ("no", _l("Not upheld")),
    ]), validators=[InputRequired(message=_l("Choose upheld or not upheld."))])
    components = CheckboxesField(_l("Components in fact not met"))
    delay_amount = IntegerField(_l("Measured delay"), validators=[Optional(), NumberRange(min=0, max=100000)],
                                description=_l("How late the service was; it decides the souvenir category."))
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
        if self.delay_amount.data is None:
            return None
        return self.delay_amount.data * WAIT_UNITS.get(self.delay_unit.data, 1)


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
