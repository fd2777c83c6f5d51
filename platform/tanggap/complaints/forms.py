"""The complaint forms: the citizen's (filing, adding information, withdrawing, rating) and staff's."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, EmailField, HiddenField, IntegerField, MultipleFileField,
                     RadioField, SelectField, StringField, TelField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import CheckboxesField, Form, options
from ..notifications import phones
from .attachments import MAX_FILE_BYTES, MAX_FILES
from .models import NotifyBy
from .labels import NOTIFY_BY_LABELS

WAIT_UNITS = {"minutes": 1, "hours": 60, "days": 1440}
#: A sender's submission key is at most this long (what the API describes; the web makes its own).
KEY_MAX = 64
WAIT_UNIT_CHOICES = options([("minutes", _l("minutes")), ("hours", _l("hours")), ("days", _l("days"))])


def _required(message):
    return DataRequired(message=message)


class ComplaintForm(Form):
    components = CheckboxesField(
        _l("Which part of the service standard was not met?"),
        validators=[_required(_l("Choose at least one part of the standard that was not met."))],
    )
    description = TextAreaField(
        _l("What happened?"),
        validators=[_required(_l("Tell us what happened.")),
                    Length(min=20, max=5000, message=_l("Write between 20 and 5,000 characters."))],
        description=_l("In your own words: what you asked for, what went wrong, who you spoke to."),
    )
    occurred_on = DateField(_l("When did it happen?"),
                            validators=[InputRequired(message=_l("Give the date it happened."))])
    service = StringField(_l("Which service?"), validators=[Optional(), Length(max=200)],
                          description=_l("For example: a certificate, a recommendation letter, a legalisation."))
    unit = SelectField(_l("Which unit served you? (if you know)"), coerce=str, default="")
    waited_amount = IntegerField(
        _l("How long did you wait beyond the promised time?"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("Give a whole number of at least 1."))],
        description=_l("Only if the service was late."),
    )
    waited_unit = SelectField(_l("Unit of the waiting time"), choices=WAIT_UNIT_CHOICES, default="minutes")
    charged = IntegerField(_l("How much were you charged? (Rupiah)"),
                           validators=[Optional(), NumberRange(min=0, max=1_000_000_000)],
                           description=_l("Only if the fee was wrong."))
    tariff = IntegerField(_l("What is the published tariff? (Rupiah)"),
                          validators=[Optional(), NumberRange(min=0, max=1_000_000_000)],
                          description=_l("Write 0 if the service should be free."))
    files = MultipleFileField(
        _l("Attachments (optional)"),
        description=_l("Up to %(count)d files: photos (JPEG, PNG, WebP) or PDF, at most %(size)d MB each.",
                       count=MAX_FILES, size=MAX_FILE_BYTES // (1024 * 1024)),
    )
    name = StringField(_l("Your name"), validators=[_required(_l("Give your name.")), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(message=_l("This is not an e-mail address.")),
                                                 Length(max=254)])
    phone = TelField(_l("Phone or WhatsApp"), validators=[Optional(), Length(max=30)])
    notify_by = RadioField(
        _l("How should we tell you of each step?"), validators=[Optional()],
        choices=options([(choice.value, label) for choice, label in NOTIFY_BY_LABELS.items()]),
        description=_l("If you choose nothing, we use what you give: e-mail, WhatsApp or SMS, or both."))
    consent = BooleanField(
        _l("I agree that the office processes my personal data to handle this complaint."),
        validators=[_required(_l("We can only handle your complaint with your agreement."))],
    )
    submission_key = HiddenField(validators=[Optional(), Length(
        max=KEY_MAX, message=_l("A submission key has at most %(max)d characters."))])

    def validate_phone(self, field) -> None:
        """Keep the number in E.164 (+628...), so that the gateway and its receipts agree on it."""
        if field.data and field.data.strip():
            try:
                field.data = phones.normalise(field.data)
            except phones.NotAPhone:
                raise ValidationError(_l("Write a phone number with digits only, like 0812 3456 7890.")) from None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        email, phone = (self.email.data or "").strip(), (self.phone.data or "").strip()
        if not email and not phone:
            # Not a field validator: Optional() would skip it on the very empty fields it is about.
            self.email.errors = [*self.email.errors, _l("Give an e-mail address or a phone number, so that we can reach you.")]
            return False
        choice = self.chosen_notify_by()
        if choice.by_email and not email:
            self.notify_by.errors = [*self.notify_by.errors, _l("Give your e-mail address to be told by e-mail.")]
            valid = False
        if choice.by_phone and not phone:
            self.notify_by.errors = [*self.notify_by.errors,
                                     _l("Give your phone number to be told by WhatsApp or SMS.")]
            valid = False
        elif self.chose() and choice.by_phone and not self.phone.errors and not phones.can_message(phone):
            self.phone.errors = [*self.phone.errors, _l("WhatsApp and SMS reach mobile numbers only (08...). "
                                                        "Give a mobile number, or choose to be told by e-mail.")]
            valid = False
        return valid

    def chose(self) -> bool:
        return self.notify_by.data in {choice.value for choice in NotifyBy}

    def chosen_notify_by(self) -> NotifyBy:
        """The citizen's choice; with none, every channel they gave (a landline is told nothing)."""
        if self.chose():
            return NotifyBy(self.notify_by.data)
        email, phone = bool((self.email.data or "").strip()), bool((self.phone.data or "").strip())
        if email and phone:
            return NotifyBy.BOTH
        return NotifyBy.PHONE if phone else NotifyBy.EMAIL

    def validate_occurred_on(self, field) -> None:
        today = getattr(self, "today", None)  # the office's local date, set by the view
        if field.data and today and field.data > today:
            raise ValidationError(_l("The date cannot be in the future."))

    def waited_minutes(self) -> int | None:
        if self.waited_amount.data is None:
            return None
        return self.waited_amount.data * WAIT_UNITS.get(self.waited_unit.data, 1)

    def fill_key(self) -> None:
        """Give the form a key of its own when it has none the field would accept.

        The web form's key is hidden, so a missing or over-long one (only a tampered form
        sends that) is treated as absent rather than shown as an error nobody can correct.
        """
        key = self.submission_key.data
        if not key or len(key) > KEY_MAX:
            self.submission_key.data = new_submission_key()


def new_submission_key() -> str:
    """A blank form's key: what makes its sending twice file one complaint (``intake``)."""
    return secrets.token_hex(16)


class FollowUpForm(Form):
    message = TextAreaField(_l("Your information"), validators=[
        _required(_l("Write what you want to add.")), Length(max=5000)])
    files = MultipleFileField(_l("Attachments (optional)"))


class WithdrawForm(Form):
    reason = TextAreaField(_l("Why are you withdrawing? (optional)"), validators=[Optional(), Length(max=2000)])
    confirm = BooleanField(_l("Yes, withdraw my complaint"),
                           validators=[_required(_l("Tick the box to confirm."))])


class RatingForm(Form):
    rating = RadioField(_l("How well was your complaint handled?"), coerce=int,
                        choices=options([(5, _l("5 – very good")), (4, _l("4 – good")), (3, _l("3 – fair")),
                                         (2, _l("2 – poor")), (1, _l("1 – very poor"))]),
                        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])


class TrackForm(Form):
    code = StringField(_l("Tracking code"), validators=[_required(_l("Enter your tracking code."))],
                       description=_l("Twelve letters and digits, like K7QM-2XHD-9RTB."))


# Staff


class MessageForm(Form):
    """One text box: a request for information, a referral, a note, a reason."""

    message = TextAreaField(_l("Message"), validators=[_required(_l("This cannot be empty.")), Length(max=5000)])


class NoteForm(MessageForm):
    pass


class AssignForm(Form):
    unit = SelectField(_l("Service unit"), coerce=str, default="")
    assignee = SelectField(_l("Officer handling it"), coerce=str, default="")


class TransferForm(Form):
    office = SelectField(_l("Office responsible"), coerce=str,
                         validators=[_required(_l("Choose the office to transfer to."))])
    message = TextAreaField(_l("Reason"), validators=[_required(_l("Give the reason for the transfer.")),
                                                     Length(max=5000)])


class ConfirmForm(Form):
    """An action that needs nothing but the button (and its CSRF token)."""
