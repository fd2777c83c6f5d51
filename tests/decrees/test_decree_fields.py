"""A decree field is declared once (``fields.DECREE_FIELDS``): these tests hold the file reader,
the ``Decree`` columns and the editor to that declaration, field by field, so a field added to it
is read, stored, shown and saved the day it is declared, or a test says which part is missing."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, select

from tanggap.auth.models import Role
from tanggap.decrees.decree_file import DecreeFileError, load_document
from tanggap.decrees.models import Decree
from tanggap.decrees.rules import Text
from tanggap.decrees.fields import DECREE_FIELDS, DECREE_KEYS, DecreeField
from tanggap.decrees.specs import Attachment, Decision, Initial, Signer
from tanggap.decrees.store import TEXT_COLUMNS, text_fields
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office
from tests.decrees.test_editor import _draft_page, _problems, metro  # noqa: F401  (metro is a fixture)
from tests.forms import form_with, replace

METRO_FILE = Path(__file__).resolve().parents[2] / "tenants" / "disdikbud-metro" / "decree.toml"
#: The columns of ``Decree`` that are not the decree's text: the version's bookkeeping, and
#: ``document``, which holds every declared field that has no column of its own.
BOOKKEEPING = {"id", "tenant_id", "version", "status", "effective_until", "source_digest", "created_at",
               "published_at", "document"}
EDITED = [field for field in DECREE_FIELDS if field.label is not None]


def _metro_document() -> dict[str, Any]:
    return tomllib.loads(METRO_FILE.read_text(encoding="utf-8"))


def _with_decree_key(key: str, value: Any) -> dict[str, Any]:
    document = _metro_document()
    document["decree"][key] = value
    return document


# (a) The declaration and the model agree --------------------------------------------------------


def test_every_declared_column_is_a_decree_column_and_every_text_column_is_declared():
    columns = set(Decree.__table__.columns.keys())
    declared = [field.column for field in DECREE_FIELDS if field.column is not None]
    assert len(declared) == len(set(declared)), "two fields share a column"
    assert set(declared) <= columns, set(declared) - columns
    assert columns - BOOKKEEPING == set(declared)
    assert set(TEXT_COLUMNS) == {*declared, "document"}


def test_a_declared_width_is_the_width_of_its_column():
    for field in DECREE_FIELDS:
        if field.column is None:
            continue
        column_type = Decree.__table__.columns[field.column].type
        width = column_type.length if isinstance(column_type, String) else None
        assert field.longest == width, field.key


def test_the_file_accepts_the_declared_keys_and_names_the_one_meant_by_any_other():
    assert len(set(DECREE_KEYS)) == len(DECREE_KEYS) == len(DECREE_FIELDS)
    with pytest.raises(DecreeFileError) as raised:
        load_document(_with_decree_key("fundng", "APBD"), "decree.toml")
    assert [(problem.key, problem.message) for problem in raised.value.errors] == [
        ("decree.fundng", "unknown key (did you mean funding?)")]


# (c) The file reader reads each declared key, and the store keeps it ----------------------------

#: A value of each kind as a file writes it, and as the reader gives it back.
SAMPLES: dict[str, tuple[Any, Any]] = {
    "line": ("Contoh", "Contoh"),
    "paragraph": ("Keputusan ini berlaku sejak tanggal ditetapkan.", "Keputusan ini berlaku sejak tanggal ditetapkan."),
    "date": ("2024-01-05", date(2024, 1, 5)),
    "text": ({"id": "Judul", "en": "Title"}, Text(id="Judul", en="Title")),
    "lines": (["pertama", "kedua"], ("pertama", "kedua")),
    "signer": ({"name": "BUDI", "nip": "19670512 200003 1 009"}, Signer(name="BUDI", nip="19670512 200003 1 009")),
    "decisions": ([{"label": "KESATU", "text": "Menetapkan."}], (Decision("KESATU", "Menetapkan."),)),
    "initials": ([{"order": 1, "position": "Sekretaris"}], (Initial(1, "Sekretaris"),)),
    "attachments": ([{"title": "Lampiran I", "number": "1"}], (Attachment(title="Lampiran I", number="1"),)),
}


def test_every_kind_has_a_sample():
    assert {field.kind for field in DECREE_FIELDS} <= set(SAMPLES)


@pytest.mark.parametrize("field", DECREE_FIELDS, ids=lambda field: field.key)
def test_the_file_reader_reads_each_declared_key_and_the_store_keeps_it(field: DecreeField):
    written, read = SAMPLES[field.kind]
    spec = load_document(_with_decree_key(field.key, written), "decree.toml").decree
    assert spec[field.key] == read
    stored = text_fields(spec)
    kept = stored[field.column] if field.column else stored["document"][field.key]
    assert kept == (read if field.kind == "date" else _as_json(read))


def _as_json(value: Any) -> Any:
    """A value as the JSON columns keep it: records as mappings of every part, tuples as lists."""
    if dataclasses.is_dataclass(value):
        return {part.name: _as_json(getattr(value, part.name)) for part in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_as_json(item) for item in value]
    return value


@pytest.mark.parametrize("field", [f for f in DECREE_FIELDS if not f.required], ids=lambda field: field.key)
def test_a_declared_key_left_out_reads_as_empty(field: DecreeField):
    document = _metro_document()
    document["decree"].pop(field.key, None)
    spec = load_document(document, "decree.toml").decree
    expected = spec.enacted_at if field.key == "effective_from" else field.empty
    assert spec[field.key] == expected


@pytest.mark.parametrize("field", DECREE_FIELDS, ids=lambda field: field.key)
def test_a_wrong_value_of_each_declared_key_is_named_by_its_key(field: DecreeField):
    with pytest.raises(DecreeFileError) as raised:
        load_document(_with_decree_key(field.key, 12345), "decree.toml")
    assert {problem.key for problem in raised.value.errors} == {f"decree.{field.key}"}


# (b) The editor shows an input for every declared field, and saves each one ---------------------


def _typed(field: DecreeField) -> dict[str, str]:
    """What the admin types into the field's inputs, by input name (the form's key paths)."""
    key = f"decree.{field.key}"
    return {
        "line": {key: f"Nilai {field.key}"[:field.longest or 200]},
        "paragraph": {key: f"Paragraf {field.key}."},
        "date": {key: "2024-02-01"},
        "text": {f"{key}.id": f"{field.key} (id)", f"{key}.en": f"{field.key} (en)"},
        "lines": {f"{key}[0]": f"Baris pertama {field.key}"},
        "decisions": {f"{key}[0].label": "KESATU", f"{key}[0].text": "Menetapkan yang baru."},
        "signer": {f"{key}.name": "Dr. SITI AMINAH, M.Pd", f"{key}.position": "Kepala Dinas",
                   f"{key}.rank": "Pembina Tingkat I", f"{key}.nip": "19750101 200003 2 001"},
    }[field.kind]


def _saved(field: DecreeField, decree: Decree) -> Any:
    """The field's value in the saved draft, in the shape ``_typed`` wrote it."""
    value = getattr(decree, field.column) if field.column else decree.document.get(field.key)
    key = f"decree.{field.key}"
    if field.kind in ("line", "paragraph"):
        return {key: value}
    if field.kind == "date":
        return {key: value.isoformat()}
    if field.kind == "text":
        return {f"{key}.id": value["id"], f"{key}.en": value["en"]}
    if field.kind == "lines":
        return {f"{key}[0]": value[0]}
    if field.kind == "decisions":
        return {f"{key}[0].label": value[0]["label"], f"{key}[0].text": value[0]["text"]}
    return {f"{key}.{part}": value[part] for part in value}


def test_the_editor_has_an_input_for_every_declared_field_and_none_for_the_others(metro, visitor):  # noqa: F811
    visitor.login(metro[Role.ADMIN].email)
    _location, html = _draft_page(visitor)
    names = set(form_with(html, "deadline.hours"))
    for field in EDITED:
        assert set(_typed(field)) <= names, field.key
    for field in DECREE_FIELDS:
        if field.label is None:
            assert not any(name.startswith(f"decree.{field.key}") for name in names), field.key


def test_saving_round_trips_every_declared_field_through_http(metro, visitor, ctx):  # noqa: F811
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    typed = {name: value for field in EDITED for name, value in _typed(field).items()}
    saved = visitor.client.post(location, data=replace(form_with(html, "deadline.hours"), **typed))
    assert saved.status_code == 303, _problems(saved)
    with ctx():
        draft = db.session.execute(every_office(select(Decree).where(Decree.version == 2))).scalar_one()
        for field in EDITED:
            assert _saved(field, draft) == _typed(field), field.key
    shown = form_with(visitor.get(location).get_data(as_text=True), "deadline.hours")
    assert {name: shown[name] for name in typed} == typed
