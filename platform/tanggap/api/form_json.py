"""The web's forms, read as JSON: their fields as a JSON Schema, and a JSON body as form data.

The API validates with the very forms the web uses, so a complaint filed by API passes the
checks a citizen's does, with the same messages in the same languages. This module is the
one translation between the two: a field's kind decides both its JSON type in the OpenAPI
document and what a body must send for it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import (BooleanField, DateField, DateTimeLocalField, EmailField, Field, HiddenField, IntegerField,
                     MultipleFileField, RadioField, SelectField, SelectMultipleField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..forms import Form

#: Fields a JSON body cannot carry (files go through the web form).
SKIPPED = (MultipleFileField,)


def kind(field: Field) -> str:
    """``boolean``, ``integer``, ``array`` or ``string``: the JSON type of a field."""
    if isinstance(field, BooleanField):
        return "boolean"
    if isinstance(field, IntegerField):
        return "integer"
    if isinstance(field, SelectMultipleField):
        return "array"
    return "string"


def fields_of(form: Form) -> list[Field]:
    return [field for field in form if field.name != "csrf_token" and not isinstance(field, SKIPPED)]


def required(field: Field) -> bool:
    return any(isinstance(v, (DataRequired, InputRequired)) for v in field.validators)


def schema(form: Form, *, required_too: tuple[str, ...] = ()) -> dict[str, Any]:
    """The form as a JSON Schema object (OpenAPI 3.0 dialect)."""
    properties: dict[str, Any] = {}
    needed: list[str] = []
    for field in fields_of(form):
        properties[field.name] = _property(field)
        if required(field) or field.name in required_too:
            needed.append(field.name)
    body: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if needed:
        body["required"] = needed
    return body


def _property(field: Field) -> dict[str, Any]:
    json_kind = kind(field)
    prop: dict[str, Any] = {"type": json_kind}
    if field.description:
        prop["description"] = str(field.description)
    elif field.label and field.label.text:
        prop["description"] = str(field.label.text)
    if json_kind == "array":
        prop["items"] = {"type": "string"}
        prop["uniqueItems"] = True
    if isinstance(field, DateTimeLocalField):
        prop["pattern"] = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"
        prop["example"] = "2026-11-23T09:30"
    elif isinstance(field, DateField):
        prop["format"] = "date"
    elif isinstance(field, EmailField):
        prop["format"] = "email"
    if isinstance(field, (SelectField, RadioField)) and not isinstance(field, SelectMultipleField):
        static = [str(getattr(choice, "value", None) or choice[0]) for choice in (field.choices or [])]
        if static:  # choices set on the class; per-office ones are filled in later and stay open
            prop["enum"] = static
    if isinstance(field, HiddenField) and field.name == "submission_key":
        prop["description"] = _("A key of your choice: sending it again returns the first complaint, not a second.")
        prop["maxLength"] = 64
    for validator in field.validators:
        if isinstance(validator, Length):
            if validator.max is not None and validator.max >= 0:
                prop["maxLength"] = validator.max
            if validator.min is not None and validator.min > 0:
                prop["minLength"] = validator.min
        if isinstance(validator, NumberRange) and json_kind == "integer":
            if validator.min is not None:
                prop["minimum"] = validator.min
            if validator.max is not None:
                prop["maximum"] = validator.max
    return prop


class WrongTypes(ValueError):
    """The body sent values of the wrong JSON type; ``fields`` says which and why."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields


def formdata(form_class: type[Form], body: dict[str, Any]) -> MultiDict:
    """A JSON object as the form data a browser would send for ``form_class``.

    Types are checked first: a form post carries only text, so a number for a text field
    or a string for a number is the caller's mistake, told per field. Unknown keys are
    refused too, so a misspelt field is not silently ignored.
    """
    form = form_class(formdata=None, meta={"csrf": False})
    known = {field.name: field for field in fields_of(form)}
    problems: dict[str, list[str]] = {}
    data: MultiDict[str, Any] = MultiDict()
    for name, value in body.items():
        field = known.get(name)
        if field is None:
            problems[name] = [_("This field is not known.")]
            continue
        if value is None:
            continue
        expected = kind(field)
        if expected == "boolean":
            if not isinstance(value, bool):
                problems[name] = [_("Give true or false.")]
            elif value:
                data.add(name, "y")
        elif expected == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                problems[name] = [_("Give a whole number.")]
            else:
                data.add(name, str(value))
        elif expected == "array":
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                problems[name] = [_("Give a list of texts.")]
            else:
                for item in value:
                    data.add(name, item)
        elif not isinstance(value, str):
            problems[name] = [_("Give a text.")]
        else:
            data.add(name, value)
    if problems:
        raise WrongTypes(problems)
    return data


def errors(form: Form) -> dict[str, list[str]]:
    """The form's messages per field, as strings (they may be lazy)."""
    found = {field.name: [str(message) for message in field.errors] for field in form
             if field.name != "csrf_token" and field.errors}
    if form.form_errors:
        found["_form"] = [str(message) for message in form.form_errors]
    return found
