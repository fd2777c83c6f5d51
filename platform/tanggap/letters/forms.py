"""The forms of the letters: issuing one, and the office's letter settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from ..forms import Form
from . import composing

_REQUIRED = _l("Fill this in.")


class IssueForm(Form):
    """The language is the button's: one button per language on the complaint's page."""

    locale = HiddenField(validators=[AnyOf(("id", "en"))])


def _pattern(form: Form, field: StringField) -> None:
    try:
        composing.pattern_fields(field.data or "")
    except composing.PatternError as error:
        if error.reason == "unknown":
            raise ValidationError(_l("“{%(name)s}” is not a part a number can have.", name=error.name)) from None
        if error.reason == "missing":
            raise ValidationError(_l("The number needs {%(name)s}, or numbers would repeat.", name=error.name)) from None
        raise ValidationError(_l("Write each part in braces, such as {seq}.")) from None


class SettingsForm(Form):
    number_pattern = StringField(_l("Letter number pattern"), validators=[DataRequired(_REQUIRED), Length(max=120), _pattern],
                                 description=_l("Parts: {seq} (the year's count, 001), {kind} (the kind's code), "
                                                "{unit} (the office's code), {roman_month} (XII), {month} (12), {year}."))
    unit_code = StringField(_l("Office code in letter numbers"), validators=[DataRequired(_REQUIRED), Length(max=40)])
    place = StringField(_l("Place of signing"), validators=[DataRequired(_REQUIRED), Length(max=120)])
    signer_name = StringField(_l("Signer's name"), validators=[DataRequired(_REQUIRED), Length(max=200)])
    signer_position = StringField(_l("Signer's position"), validators=[DataRequired(_REQUIRED), Length(max=200)])
    signer_rank = StringField(_l("Signer's rank"), validators=[Length(max=120)])
    signer_nip = StringField(_l("Signer's NIP"), validators=[Length(max=40)])


def kind_fields(kind: str) -> dict[str, StringField | TextAreaField]:
    """The fields of one kind of letter, added to ``SettingsForm`` per kind (``{kind}_code``...)."""
    return {
        f"{kind}_code": StringField(_l("Code in the number"), validators=[DataRequired(_REQUIRED), Length(max=20)]),
        f"{kind}_subject_id": StringField(_l("Subject (Indonesian)"), validators=[DataRequired(_REQUIRED), Length(max=200)]),
        f"{kind}_subject_en": StringField(_l("Subject (English)"), validators=[DataRequired(_REQUIRED), Length(max=200)]),
        f"{kind}_body_id": TextAreaField(_l("Body (Indonesian)"), validators=[DataRequired(_REQUIRED), Length(max=5000)]),
        f"{kind}_body_en": TextAreaField(_l("Body (English)"), validators=[DataRequired(_REQUIRED), Length(max=5000)]),
    }


KINDS = ("apology", "clarification", "receipt")
for _kind in KINDS:
    for _name, _field in kind_fields(_kind).items():
        setattr(SettingsForm, _name, _field)
