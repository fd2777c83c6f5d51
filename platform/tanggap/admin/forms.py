"""Forms of the platform operator's console."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ..forms import Form, options
from ..tenancy.models import RegionKind

SLUG = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and single hyphens only."))
ZONES = options([("Asia/Jakarta", _l("WIB (Asia/Jakarta)")), ("Asia/Makassar", _l("WITA (Asia/Makassar)")),
                 ("Asia/Jayapura", _l("WIT (Asia/Jayapura)"))])


class UploadForm(Form):
    decree = FileField(_l("Decree file (decree.toml)"))
    logo = FileField(_l("Logo (PNG, JPEG or SVG; optional)"))


class OfficeForm(Form):
    slug = StringField(_l("Address on the platform (slug)"),
                       validators=[DataRequired(message=_l("Give the office an address.")), Length(max=63), SLUG])
    name_id = StringField(_l("Name in Indonesian"), validators=[DataRequired(message=_l("Give the name.")),
                                                               Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(message=_l("Give the name.")),
                                                            Length(max=200)])
    region = SelectField(_l("Region"), coerce=str, validators=[DataRequired(message=_l("Choose the region."))])
    timezone = SelectField(_l("Time zone"), choices=ZONES, default="Asia/Jakarta")
    default_locale = SelectField(_l("Default language"), choices=options([("id", "Bahasa Indonesia"),
                                                                          ("en", "English")]), default="id")


class OfficeEditForm(Form):
    name_id = StringField(_l("Name in Indonesian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    region = SelectField(_l("Region"), coerce=str)
    domain = StringField(_l("Own host name (optional)"), validators=[
        Optional(), Length(max=253),
        Regexp(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
               message=_l("Write a host name like pengaduan.dinsos.example.go.id, in lower case."))],
        description=_l("Point the host's DNS at the platform; its pages then answer there without the slug."))
    active = BooleanField(_l("Active: its public pages answer and its staff can work"))


class RegionForm(Form):
    slug = StringField(_l("Address (slug)"), validators=[DataRequired(message=_l("Give the region an address.")),
                                                         Length(max=80), SLUG])
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the name.")), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options([(kind.value, kind.label) for kind in RegionKind]))
    parent = SelectField(_l("Part of"), coerce=str, default="")


class InviteForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Give the e-mail address.")),
                                                 Email(message=_l("This is not an e-mail address.")), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the name.")), Length(max=200)])
    region = SelectField(_l("Region"), coerce=str, validators=[Optional()], default="")
