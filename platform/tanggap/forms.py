"""Form pieces every feature uses: the base form, choice lists and checkbox groups."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any, TypeVar

from babel.support import NullTranslations, Translations
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; not in its stubs


@cache
def _wtforms_messages(directory: str, locale: str) -> NullTranslations:
    return Translations.load(directory, [locale], domain="wtforms")


class _Messages:
    """WTForms' own messages ("Not a valid date value.") in the reader's language.

    WTForms ships no Indonesian catalogue, so ours lives beside the app's, in the
    ``wtforms`` domain; any other language falls back to WTForms' English.
    """

    def _catalogue(self) -> NullTranslations:
        if not has_request_context():
            return NullTranslations()
        directory = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
        return _wtforms_messages(directory, str(get_locale() or "id"))

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


MESSAGES = _Messages()


#: What no one types into a form: the C0 control characters but tab, line feed and carriage
#: return, and DEL. PostgreSQL cannot even keep a NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a form, or a list's query string, says about text that holds one.
NOT_TEXT = _l("Remove the control characters from this text.")


class Form(FlaskForm):
    """Every form of the app: Flask-WTF's CSRF protection, with WTForms speaking Indonesian,
    and no control characters in any text it accepts."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> _Messages:
            return MESSAGES

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then one for every form: text holding a control character
        is refused with a message on its field (the rest of what was typed is shown again),
        instead of failing where it is stored."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
                field.errors = [*field.errors, str(NOT_TEXT)]
                valid = False
        return valid


T = TypeVar("T")


def given(value: T | None) -> T:
    """A required field's value once its form has validated: its validators refused a missing one."""
    if value is None:
        raise ValueError("a required field has no value: validate the form first")
    return value


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as the choices WTForms takes (labels may be lazy strings)."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes, which work everywhere without script."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
