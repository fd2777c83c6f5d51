"""Forms of the sanction pages and of the units and officers pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, FieldList, FormField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import Form


class SanctionForm(Form):
    officer = SelectField(_l("Responsible officer"), coerce=str,
                          validators=[DataRequired(message=_l("Choose the officer."))])
    code = SelectField(_l("Sanction"), coerce=str, validators=[DataRequired(message=_l("Choose the sanction."))])
    decided_on = DateField(_l("Decided on"), validators=[InputRequired(message=_l("Give the date."))])
    reasoning = TextAreaField(_l("Reasoning"), validators=[Length(max=5000)])
    deviation_reason = TextAreaField(_l("Why not the suggested sanction?"), validators=[Length(max=2000)],
                                     description=_l("Required when you choose otherwise than suggested."))
    coaching_description = TextAreaField(_l("Coaching plan"), validators=[Length(max=5000)],
                                         description=_l("For coaching: what the officer will do or learn."))
    coaching_due_on = DateField(_l("Coaching to be completed by"), validators=[Optional()])


class CorrectionForm(SanctionForm):
    correction_reason = TextAreaField(_l("Why is the sanction corrected?"), validators=[Length(max=2000)])


class CoachingDoneForm(Form):
    completed_on = DateField(_l("Completed on"), validators=[InputRequired(message=_l("Give the date."))])
    note = TextAreaField(_l("How it went"), validators=[Optional(), Length(max=2000)])


class StepForm(Form):
    class Meta:
        csrf = False

    start = IntegerField(_l("From the upheld complaint number"), validators=[Optional(), NumberRange(min=1, max=50)])
    sanction = SelectField(_l("suggest"), coerce=str, default="")


class LadderForm(Form):
    window_months = IntegerField(_l("Count upheld complaints of the last (months)"),
                                 validators=[InputRequired(), NumberRange(min=1, max=120)])
    steps = FieldList(FormField(StepForm), min_entries=4, max_entries=4)


class UnitForm(Form):
    name = StringField(_l("Name of the unit"), validators=[DataRequired(message=_l("Give the unit a name.")),
                                                           Length(max=200)])
    active = BooleanField(_l("Active"), default=True)


class OfficerForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the officer's name.")),
                                               Length(max=200)])
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=30)],
                      description=_l("Civil servant number (Nomor Induk Pegawai), if any."))
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    unit = SelectField(_l("Service unit"), coerce=str, default="")
    user = SelectField(_l("Their login, if they have one"), coerce=str, default="")
    active = BooleanField(_l("Active"), default=True)
