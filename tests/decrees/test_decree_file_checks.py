"""Decree file checks one mistake at a time: each is named by its key path, none crashes."""

import copy
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.decrees.decree_file import DecreeFileError, load_document

METRO_PATH = Path(__file__).resolve().parents[2] / "tenants" / "disdikbud-metro" / "decree.toml"
METRO_DOCUMENT = tomllib.loads(METRO_PATH.read_text(encoding="utf-8"))
NAME = "tenants/disdikbud-metro/decree.toml"
DELETE = object()


def metro_changed(edits: dict[str, Any]) -> dict[str, Any]:
    """Metro's parsed file with values set (or, for DELETE, removed) at key paths."""
    document = copy.deepcopy(METRO_DOCUMENT)
    for path, value in edits.items():
        *parents, last = [
            int(part[1:-1]) if part.startswith("[") else part
            for part in re.findall(r"[^.\[\]]+|\[\d+\]", path)
        ]
        table: Any = document
        for part in parents:
            table = table[part]
        if value is DELETE:
            del table[last]
        else:
            table[last] = value
    return document


def problems(document: dict[str, Any], severity: str) -> dict[str, str]:
    try:
        found = load_document(document, NAME).warnings
    except DecreeFileError as error:
        found = error.problems
    return {problem.key: problem.message for problem in found if problem.severity == severity}


@pytest.mark.parametrize(
    ("edits", "key", "fragment"),
    [
        ({"tenant.slug": "Disdikbud_Metro"}, "tenant.slug", "lowercase"),
        ({"tenant.slug": "admin"}, "tenant.slug", "reserved"),
        ({"tenant.region.parent": "kota-metro"}, "tenant.region.parent", "own parent"),
        ({"tenant.region": DELETE}, "tenant.region", "missing"),
        ({"tenant.brand_color": "navy"}, "tenant.brand_color", "#0b5394"),
        ({"tenant.default_locale": "jv"}, "tenant.default_locale", 'one of: "id", "en"'),
        ({"tenant.phone": 41549}, "tenant.phone", "must be text, not a whole number"),
        ({"tenant.website": "www.metrokota.go.id"}, "tenant.website", "http://"),
        ({"tenant.postal_code": "3411"}, "tenant.postal_code", "five digits"),
        ({"tenant.email": "disdikbud"}, "tenant.email", "e-mail"),
        (
            {"tenant.name": "Dinas"},
            "tenant.name",
            'must be a table like { id = "...", en = "..." }, not text',
        ),
        ({"tenant.letterhead.header.jv": "KOTA"}, "tenant.letterhead.header.jv", "unknown key"),
        ({"decree.enacted_at": "04 Januari 2024"}, "decree.enacted_at", "YYYY-MM-DD"),
        ({"decree.effective_from": "2024-02-30"}, "decree.effective_from", "not a date"),
        ({"decree.enacted_at": datetime(2024, 1, 4, 9)}, "decree.enacted_at", "a date and time"),
        ({"decree.signer.nip": "19670512"}, "decree.signer.nip", "18 digits"),
        ({"decree.decisions[5].label": DELETE}, "decree.decisions[5].label", "missing"),
        (
            {"decree.decisions[5].lable": "KEENAM"},
            "decree.decisions[5].lable",
            "did you mean label?",
        ),
        (
            {"decree.initials": [{"order": 0, "position": "X"}]},
            "decree.initials[0].order",
            "least 1",
        ),
        ({"decree.attachments[0].contains": "rules"}, "decree.attachments[0].contains", "one of"),
        ({"decree.legal_basis[2]": 3}, "decree.legal_basis[2]", "must be text"),
        ({"deadline.hours": "72"}, "deadline.hours", "must be a whole number, not text"),
        ({"deadline.hours": True}, "deadline.hours", "not true/false"),
        ({"deadline.hours": 0}, "deadline.hours", "at least 1"),
        ({"deadline.hours": 10**6}, "deadline.hours", "at most 8784"),
        ({"deadline.counting": "weekly"}, "deadline.counting", '"calendar", "working"'),
        (
            {"deadline.counting": "working", "deadline.working_hours": "16:00-08:00"},
            "deadline.working_hours",
            "open before",
        ),
        (
            {"deadline.counting": "working", "deadline.working_hours": "8-16"},
            "deadline.working_hours",
            "HH:MM-HH:MM",
        ),
        (
            {"deadline.counting": "working", "deadline.working_days": [1, 8]},
            "deadline.working_days[1]",
            "1 (Monday)",
        ),
        (
            {"deadline.counting": "working", "deadline.days_off": ["2024-13-01"]},
            "deadline.days_off[0]",
            "not a date",
        ),
        (
            {"deadline.counting": "working", "deadline.holidays": "MY"},
            "deadline.holidays",
            "one of",
        ),
        ({"deadline": DELETE}, "deadline", "missing"),
        ({"compensations[2].code": "apology"}, "compensations[2].code", "duplicate code 'apology'"),
        ({"compensations[3].kind": "voucher"}, "compensations[3].kind", "one of"),
        ({"compensations[3].kind": DELETE}, "compensations[3].kind", "missing"),
        ({"components": []}, "components", "must not be empty"),
        ({"components[4].code": "fee"}, "components[4].code", "duplicate code 'fee'"),
        ({"components[2].compensations": []}, "components[2].compensations", "at least one"),
        (
            {"components[2].compensations": ["apology", "apology", "priority"]},
            "components[2].compensations[1]",
            "listed twice",
        ),
        (
            {"components[1].compensations[0]": "sorry"},
            "components[1].compensations[0]",
            "no compensation with code 'sorry'",
        ),
        ({"souvenir_tiers[1].code": "A"}, "souvenir_tiers[1].code", "duplicate code 'A'"),
        ({"souvenir_tiers[1].code": "B tier"}, "souvenir_tiers[1].code", "letters, digits"),
        ({"souvenir_tiers[0].min_delay": "2h"}, "souvenir_tiers[0].max_delay", "longer than the lower bound"),
        ({"souvenir_tiers[0].min_delay": "1 jam"}, "souvenir_tiers[0].max_delay", "longer than the lower bound"),
        ({"souvenir_tiers[0].max_delay": "60"}, "souvenir_tiers[0].max_delay", "not a duration"),
        ({"souvenir_tiers[0].item.en": ""}, "souvenir_tiers[0].item.en", "not be empty"),
        ({"souvenir_tiers[0].unit_cost": -1}, "souvenir_tiers[0].unit_cost", "at least 0"),
        ({"sanctions[1].kind": "fine"}, "sanctions[1].kind", "one of"),
        ({"extra": {"foo": 1}}, "extra", "unknown key"),
        # Escaped in a file ("\u0007"), pasted into the editor: no text of a decree holds a control character.
        ({"components[0].name.id": "Persyaratan\x07"}, "components[0].name.id", "control characters"),
        ({"decree.title.en": "On \x00 compensation"}, "decree.title.en", "control characters"),
        ({"decree.legal_basis[1]": "Undang-Undang\x1b[31m"}, "decree.legal_basis[1]", "control characters"),
        ({"decree.signer.name": "Dr. SITI\x0c AMINAH"}, "decree.signer.name", "control characters"),
        ({"souvenir_tiers[0].item.en": "Pen\x7f"}, "souvenir_tiers[0].item.en", "control characters"),
    ],
)
def test_each_mistake_is_named_by_its_key(edits: dict[str, Any], key: str, fragment: str) -> None:
    found = problems(metro_changed(edits), "error")
    assert key in found, found
    assert fragment in found[key]


@pytest.mark.parametrize(
    ("edits", "key", "fragment"),
    [
        ({"tenant.brand_color": "#ffcc00"}, "tenant.brand_color", "needs 4.5 : 1"),
        (
            {"deadline.working_hours": "08:00-16:00"},
            "deadline.working_hours",
            'counting = "working"',
        ),
        (
            {"components[2].compensations": ["apology", "clarification"]},
            "compensations[2]",
            "not used",
        ),
        (
            {"components[3].compensations": ["apology", "refund", "clarification"]},
            "souvenir_tiers",
            "no component grants a souvenir",
        ),
    ],
)
def test_questionable_but_lawful_files_load_with_warnings(
    edits: dict[str, Any], key: str, fragment: str
) -> None:
    document = metro_changed(edits)
    assert problems(document, "error") == {}
    assert fragment in problems(document, "warning")[key]


# Robustness ---------------------------------------------------------------------------------


def paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key and list index of a parsed document."""
    children: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    found = []
    for key, child in children:
        found.append((*prefix, key))
        found.extend(paths(child, (*prefix, key)))
    return found


METRO_PATHS = paths(METRO_DOCUMENT)
TOML_VALUES = st.recursive(
    st.text(max_size=8)
    | st.integers()
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.dates()
    | st.times(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=4,
)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(METRO_PATHS), TOML_VALUES, st.booleans())
def test_any_value_anywhere_is_reported_never_crashes(
    path: tuple[str | int, ...], value: Any, delete: bool
) -> None:
    document = copy.deepcopy(METRO_DOCUMENT)
    parent: Any = document
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    try:
        load_document(document, NAME)
    except DecreeFileError as error:
        assert error.errors
        assert all(problem.file == NAME for problem in error.problems)
