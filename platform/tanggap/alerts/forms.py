"""The office admin's alert points, head of office, and notice of new complaints."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, SelectField, StringField
from wtforms.validators import Length

from ..forms import CheckboxesField, Form, options


class PointForm(Form):
    class Meta:
        csrf = False

    #: The point in words, in either language: read by ``points.parse`` in the view.
    when = StringField(_l("When"), validators=[Length(max=60)])
    escalate = BooleanField(_l("Escalation: also to the head of office"))


def hour_choices() -> list:
    """"No e-mail", then each hour of the office's day."""
    return options([("", _l("No e-mail, the bell only"))] + [(str(hour), f"{hour:02d}.00") for hour in range(24)])


class AlertSettingsForm(Form):
    points = FieldList(FormField(PointForm), min_entries=6, max_entries=6)
    heads = CheckboxesField(_l("Head of office (receives escalations)"))
    new_complaints_to = CheckboxesField(_l("Also told of each new complaint (leaders always are)"))
    digest_hour = SelectField(_l("E-mail of new complaints, once a day at"), choices=hour_choices(), default="7",
                              description=_l("In the office's time zone. The bell rings within a minute either way."))
