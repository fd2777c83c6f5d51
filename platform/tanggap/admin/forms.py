"""Forms of the admin pages: the office admin's settings, staff and API tokens, and the platform
operator's console. The views fill and read them; the rules they check live here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..auth.models import ApiScope, Role
from ..forms import CheckboxesField, Form, options
from ..tenancy.models import RegionKind

# Each pattern ends at \Z, not $: $ also matches before a final line break, which a crafted
# request can send (a browser's one-line input cannot), and the value would be saved with it.
SLUG = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*\Z", message=_l("Lower-case letters, digits and single hyphens only."))
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
        Regexp(r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z",
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


class SettingsForm(Form):
    """The office admin's settings: brand, language, time zone, letterhead and public words."""

    brand_color = StringField(_l("Brand colour"), validators=[
        DataRequired(), Regexp(r"^#[0-9a-fA-F]{6}\Z", message=_l("Write the colour as #rrggbb."))],
        description=_l("Used for the letterhead and links; it must stay readable."))
    logo = FileField(_l("New logo (PNG, JPEG or WebP; optional)"))
    default_locale = SelectField(_l("Default language"), choices=options([("id", "Bahasa Indonesia"),
                                                                          ("en", "English")]))
    timezone = SelectField(_l("Time zone"), choices=ZONES)
    government_id = StringField(_l("Government line of the letterhead (Indonesian)"), validators=[Length(max=200)])
    government_en = StringField(_l("Government line of the letterhead (English)"), validators=[Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Telephone"), validators=[Optional(), Length(max=60)])
    fax = StringField(_l("Fax"), validators=[Optional(), Length(max=60)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    intro_id = TextAreaField(_l("Words on the public page (Indonesian)"), validators=[Length(max=2000)])
    intro_en = TextAreaField(_l("Words on the public page (English)"), validators=[Length(max=2000)])
    accountability_page = BooleanField(
        _l("Publish the accountability page"),
        description=_l("The promise in force and, month by month, complaints received, upheld and compensated "
                       "(on time) and the median time to compensation, in both languages, with no personal data. "
                       "Linked from the office's public pages; switched off, its address answers “not found”."))


class MemberForm(Form):
    """Inviting a person into the office, in a role."""

    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the name.")), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(message=_l("Give the e-mail address.")),
                                                  Email(message=_l("This is not an e-mail address.")), Length(max=254)])
    role = SelectField(_l("Role"), choices=options([(role.value, role.label) for role in Role]), default="officer")


class RoleForm(Form):
    """Changing a member's role, or taking them out of the office."""

    role = SelectField(_l("Role"), choices=options([(role.value, role.label) for role in Role] +
                                                   [("none", _l("Remove from the office"))]))


class TokenForm(Form):
    """Issuing an API token, with no scope beyond what the issuing member may do."""

    name = StringField(_l("Name of the system using it"), validators=[
        DataRequired(message=_l("Name the system, so the timeline and the audit log can say who acted.")),
        Length(max=100)], description=_l("For example: WhatsApp desk, SP4N-LAPOR! bridge."))
    scopes = CheckboxesField(_l("What it may do"), choices=[], validate_choice=False,
                             validators=[DataRequired(message=_l("Choose at least one scope."))])

    offered: frozenset[str] = frozenset()

    def validate_scopes(self, field: CheckboxesField) -> None:
        if not set(field.data or ()) <= self.offered:
            raise ValidationError(_l("You may not issue this scope: a token does only what you may do yourself."))

    def offer(self, scopes: list[ApiScope]) -> None:
        """Offer only the scopes this member may issue; any other is refused as not on offer."""
        self.offered = frozenset(scope.value for scope in scopes)
        self.scopes.choices = options((scope.value, scope.label) for scope in scopes)


class RevokeForm(Form):
    """Revoking a token: nothing to fill in but the CSRF token."""
