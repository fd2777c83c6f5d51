"""The office admin's decree editor: a draft as a decree document, edited field by field.

The editor works on the same document shape as ``decree.toml`` and validates it with the
same loader, so the browser and the command line accept and refuse exactly the same
decrees. Form fields are named by their key path (``components[1].name.en``), so every
problem the loader reports lands next to the field it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..database import whole_number
from ..tenancy.models import Tenant
from .decree_file import DecreeFile, DecreeFileError, load_document
from .duration_words import duration_words
from .file_reader import Problem
from .models import Decree
from .fields import DECREE_FIELDS, SIGNER_PARTS, DecreeField

#: The rows the editor lets an admin add, change and remove, with their fields.
SECTIONS: dict[str, tuple[str, ...]] = {
    "compensations": ("code", "kind", "name.id", "name.en"),
    "components": ("code", "name.id", "name.en", "description.id", "description.en"),
    "souvenir_tiers": ("code", "name.id", "name.en", "min_delay", "max_delay", "item.id", "item.en",
                       "unit_cost", "stock"),
    "sanctions": ("code", "kind", "name.id", "name.en"),
}
#: The decree's fields the editor shows, as declared (``fields.DECREE_FIELDS``), in the page's order.
EDITED = tuple(field for field in DECREE_FIELDS if field.edited)
#: Kinds shown together in the decree's first part, one input per value (a bilingual text has two).
INLINE_KINDS = ("line", "date", "text")
#: Kinds edited line by line (``decree.considerations[0]``, ``decree.decisions[0].label``).
LINE_KINDS = ("lines", "decisions")
#: The decree's lists, by key, with their kind: *Menimbang*, *Mengingat*, the decisions, *Tembusan*,
#: revoked decrees, and the numbered points of the attachment (*Lampiran I*).
_LISTS = {field.key: field.kind for field in EDITED if field.kind in LINE_KINDS}
#: A clause list's line, or a decision's part (``decree.decisions[0].label``).
_LINE = re.compile(r"^decree\.(?P<list>\w+)\[(?P<index>[0-9]{1,4})\](?:\.(?P<field>\w+))?$")
#: A row's field; more rows than four digits number is not a form the editor sent.
_ROW = re.compile(r"^(?P<section>\w+)\[(?P<index>[0-9]{1,4})\]\.(?P<field>[\w.]+)$")
_INTEGER_FIELDS = {"unit_cost", "stock"}


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def tenant_table(tenant: Tenant) -> dict[str, Any]:
    """The ``[tenant]`` table of the office as it is now (the editor does not change it)."""
    region = {"slug": tenant.region.slug, "name": tenant.region.name}
    if tenant.region.parent is not None:
        region["parent"] = tenant.region.parent.slug
    return {"slug": tenant.slug, "name": dict(tenant.name), "region": region, "timezone": tenant.timezone}


def _file_value(field: DecreeField, decree: Decree) -> Any:
    """A declared field of a stored decree as the file writes it: dates as text, no empty signer."""
    value = getattr(decree, field.column) if field.column else decree.document.get(field.key)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return dict(value) or None
    return value


def document_from_decree(tenant: Tenant, decree: Decree) -> dict[str, Any]:
    """The decree (a draft, or the version it was copied from) as a document in the file's shape."""
    text = {field.key: _file_value(field, decree) for field in DECREE_FIELDS}
    enacted = {(row["table"], row["code"]): row["text"] for row in decree.document.get("enacted_rows", [])}
    deadline = decree.deadline
    deadline_table: dict[str, Any] = {"hours": deadline.hours, "counting": deadline.counting.value}
    if deadline.counting.value == "working":
        deadline_table.update(working_days=list(deadline.working_days), holidays=deadline.holidays,
                              working_hours=f"{deadline.opens_at}-{deadline.closes_at}",
                              days_off=list(deadline.days_off))
    codes = {c.id: c.code for c in decree.compensation_types}
    return {
        "tenant": tenant_table(tenant),
        "decree": {key: value for key, value in text.items() if value not in (None, [], {})},
        "deadline": deadline_table,
        "compensations": [{"code": c.code, "kind": c.kind.value, "name": dict(c.name)} for c in decree.compensation_types],
        "components": [
            {"code": c.code, "name": dict(c.name), "compensations": [codes[cell.compensation_id] for cell in c.cells],
             **({"description": dict(c.description)} if c.description else {}),
             **({"enacted": enacted[("components", c.code)]} if ("components", c.code) in enacted else {})}
            for c in decree.components
        ],
        "souvenir_tiers": [
            {"code": t.code, "name": dict(t.name), "item": dict(t.item),
             "min_delay": duration_words(t.min_delay_minutes),
             **({"max_delay": duration_words(t.max_delay_minutes)} if t.max_delay_minutes is not None else {}),
             **({"unit_cost": t.unit_cost} if t.unit_cost is not None else {}),
             **({"stock": t.stock} if t.stock is not None else {}),
             **({"enacted": enacted[("souvenir_tiers", t.code)]} if ("souvenir_tiers", t.code) in enacted else {})}
            for t in decree.tiers
        ],
        "sanctions": [{"code": s.code, "kind": s.kind.value, "name": dict(s.name)} for s in decree.sanction_types],
    }


def _rows(form: MultiDict, section: str) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        match = _ROW.match(key)
        if match and match["section"] == section:
            rows.setdefault(int(match["index"]), {})[match["field"]] = form.get(key, "").strip()
    return rows


def document_from_form(form: MultiDict, base: dict[str, Any]) -> dict[str, Any]:
    """The base document with everything the editor's form changes, as typed.

    Rows marked for removal and new rows left blank are dropped; a matrix cell keeps its
    place in the row's enacted order and new cells follow the compensations' order.
    """
    document = {key: value for key, value in base.items() if key not in SECTIONS}
    decree = dict(base.get("decree", {}))
    for field in EDITED:
        if field.kind == "signer":
            decree.update(_signer(form, field))
        for name, _label in _inputs(field):
            if f"decree.{name}" in form:
                value = form.get(f"decree.{name}", "").strip()
                _set(decree, name, value or None)
    if "decree.clauses" in form:  # the editor always sends it; older forms leave the clauses be
        decree.update(_clauses(form))
    document["decree"] = {k: v for k, v in decree.items() if v not in (None, [])}
    deadline: dict[str, Any] = {"hours": _number(form.get("deadline.hours", "")), "counting": form.get("deadline.counting", "calendar")}
    if deadline["counting"] == "working":
        deadline["working_days"] = [_number(day) for day in form.getlist("deadline.working_days")]
        deadline["working_hours"] = form.get("deadline.working_hours", "").strip()
        deadline["holidays"] = form.get("deadline.holidays", "ID")
        deadline["days_off"] = [d.strip() for d in re.split(r"[\s,]+", form.get("deadline.days_off", "")) if d.strip()]
    document["deadline"] = deadline
    kept_indices: dict[str, list[int]] = {}
    base_rows = {section: base.get(section, []) for section in SECTIONS}
    for section, fields in SECTIONS.items():
        rows, kept = [], []
        for index, values in sorted(_rows(form, section).items()):
            # A select always sends a kind, so a row is blank when all else is.
            if values.pop("remove", None) or not any(values.get(f) for f in fields if f != "kind"):
                continue
            previous = base_rows[section][index] if index < len(base_rows[section]) else {}
            row = {k: v for k, v in previous.items() if k == "enacted"}
            for name in fields:
                value = values.get(name, "")
                if value == "":
                    continue
                _set(row, name, _number(value) if name in _INTEGER_FIELDS else value)
            rows.append(row)
            kept.append(index)
        document[section] = rows
        kept_indices[section] = kept
    codes_by_form_index = {
        index: row.get("code", "")
        for index, row in zip(kept_indices["compensations"], document["compensations"], strict=True)
    }
    for index, component in zip(kept_indices["components"], document["components"], strict=True):
        chosen = (whole_number(v) for v in form.getlist(f"components[{index}].compensations"))
        checked = [codes_by_form_index[n] for n in chosen if n is not None and n in codes_by_form_index]
        previous = form.get(f"components[{index}].order", "").split(",")
        order = [code for code in previous if code in checked]
        order += [code for code in codes_by_form_index.values() if code in checked and code not in order]
        component["compensations"] = order
    return document


def _signer(form: MultiDict, field: DecreeField) -> dict[str, Any]:
    """The signer as typed, dropped as a whole when every part is left empty."""
    names = [f"decree.{field.key}.{part}" for part, *_labels in SIGNER_PARTS]
    if not any(name in form for name in names):
        return {}
    typed = {name.rsplit(".", 1)[1]: form.get(name, "").strip() for name in names}
    return {field.key: {part: value for part, value in typed.items() if value} or None}


def _clauses(form: MultiDict) -> dict[str, Any]:
    """Menimbang, Mengingat, Tembusan, revoked decrees and the decisions, line by line as typed.

    Lines marked for removal and lines left empty are dropped, so a list grows by filling its
    blank line and shrinks by ticking "Remove".
    """
    lines: dict[str, dict[int, dict[str, str]]] = {}
    for key in form:
        match = _LINE.match(key)
        if match and match["list"] in _LISTS:
            line = lines.setdefault(match["list"], {}).setdefault(int(match["index"]), {})
            line[match["field"] or "text"] = form.get(key, "").strip()
    found: dict[str, Any] = {}
    for name, kind in _LISTS.items():
        kept = [line for _, line in sorted(lines.get(name, {}).items()) if not line.get("remove")]
        if kind == "lines":
            found[name] = [line["text"] for line in kept if line.get("text")]
        else:  # decisions: a label (KESATU) and its text
            found[name] = [{k: line[k] for k in ("label", "text") if line.get(k)}
                           for line in kept if line.get("label") or line.get("text")]
    return found


def _inputs(field: DecreeField) -> list[tuple[str, Any]]:
    """The inputs of a field edited in place: each one's key path under ``decree.`` and its label."""
    if field.kind == "text":
        return [(f"{field.key}.id", _l("%(label)s (Indonesian)", label=field.label)),
                (f"{field.key}.en", _l("%(label)s (English)", label=field.label))]
    if field.kind in ("line", "date", "paragraph"):
        return [(field.key, field.label)]
    return []


def inputs(field: DecreeField, decree: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The editor's inputs for ``field``: name (``decree.title.id``), label, and the value in ``decree``."""
    found = []
    for name, label in _inputs(field):
        value: Any = decree
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        found.append((f"decree.{name}", label, value))
    return found


def _number(value: str) -> Any:
    """Whole numbers (ASCII digits, as many as a 64-bit integer holds) as ints; anything
    else is kept as typed so the loader can name it."""
    value = value.strip()
    return int(value) if re.fullmatch(r"-?[0-9]{1,18}", value) else value


def validate(document: dict[str, Any], filename: str) -> tuple[DecreeFile | None, list[Problem]]:
    """The loaded decree and its warnings, or None and every problem."""
    try:
        loaded = load_document(document, filename)
    except DecreeFileError as error:
        return None, error.problems
    return loaded, loaded.warnings


def problems_by_key(problems: list[Problem], severity: str = "error") -> dict[str, list[str]]:
    """The messages of one severity by key path: errors mark their field invalid, warnings only say."""
    by_key: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity == severity:
            by_key.setdefault(problem.key, []).append(problem.message)
    return by_key


@dataclass(frozen=True)
class Checked:
    """A checked document's problems by key path, as the form macros ask for them (``_macros.html``)."""

    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]

    @classmethod
    def of(cls, problems: list[Problem]) -> Checked:
        return cls(problems_by_key(problems), problems_by_key(problems, "warning"))

    def invalid(self, key: str) -> bool:
        """Whether the field at ``key`` itself has an error."""
        return key in self.errors

    def errors_at(self, key: str, exact: bool = True) -> list[str]:
        """The errors at ``key`` (and, unless ``exact``, at every key path under it)."""
        return _at(self.errors, key, exact)

    def warnings_at(self, key: str, exact: bool = True) -> list[str]:
        return _at(self.warnings, key, exact)


def _at(by_key: dict[str, list[str]], key: str, exact: bool) -> list[str]:
    return [message for found, messages in by_key.items() if found == key or (not exact and found.startswith(key))
            for message in messages]


def page(document: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """What the editor's template needs besides the draft: the document as typed, its problems,
    and the decree's declared fields with the helpers that name their inputs."""
    return {"doc": document, "problems": problems, "checked": Checked.of(problems), "fields": EDITED,
            "inline_kinds": INLINE_KINDS, "inputs": inputs, "signer_parts": SIGNER_PARTS,
            "field_label": field_label, "field_id": field_id, "section_help": SECTION_HELP}


#: What each part of the editor is called on the page, so a problem names what the reader sees.
SECTION_LABELS = {
    "decree": _l("The decree"), "deadline": _l("Deadline"), "compensations": _l("Forms of compensation"),
    "components": _l("Components of the service standard"), "souvenir_tiers": _l("Souvenir categories"),
    "sanctions": _l("Sanctions"), **{field.key: field.label for field in EDITED if field.kind in LINE_KINDS},
}
FIELD_LABELS = {
    **{name: label for field in EDITED for name, label in _inputs(field)},
    **{f"{field.key}.{part}": named for field in EDITED if field.kind == "signer" for part, _label, named in SIGNER_PARTS},
    "hours": _l("Hours"),
    "counting": _l("Counting"), "working_days": _l("Working days"), "working_hours": _l("Working hours"),
    "holidays": _l("Holidays"), "days_off": _l("Office days off"), "code": _l("Code"), "kind": _l("Kind"),
    "name.id": _l("Name (Indonesian)"), "name.en": _l("Name (English)"),
    "description.id": _l("In plain words (Indonesian)"), "description.en": _l("In plain words (English)"),
    "compensations": _l("Compensation given"), "min_delay": _l("From"), "max_delay": _l("Up to (not including)"),
    "item.id": _l("Souvenir (Indonesian)"), "item.en": _l("Souvenir (English)"), "unit_cost": _l("Unit cost (Rp)"),
    "stock": _l("Stock"), "label": _l("Label"), "text": _l("Text"),
}
#: The hints under the rules' legends (the decree's own fields declare theirs).
SECTION_HELP = {
    "components": _l("Tick what a citizen receives when each component is broken. New rows need a code and both names."),
    "souvenir_tiers": _l(
        "Write delays in words, e.g. 30 minutes, 1 hour, 3 days, 1 week or 1 day 12 hours. A category runs from its"
        " lower bound up to, not including, its upper bound, so the next category starts where one ends; leave the"
        " upper bound empty for \"and longer\"."),
}
_KEY = re.compile(r"^(?P<section>\w+)(?:\[(?P<index>[0-9]+)\])?(?:\.(?P<rest>.+))?$")


def field_label(key: str) -> str:
    """A problem's key path in the words of the page: "Souvenir categories, row 3: From".

    Key paths (``souvenir_tiers[2].min_delay``) are how files and the loader name a place;
    the editor's reader sees labelled fields, so the summary names those.
    """
    if key.startswith("decree.") and key.split(".")[1].split("[")[0] in SECTION_LABELS:
        key = key.removeprefix("decree.")  # the decree's clause lists read as sections of their own
    match = _KEY.match(key)
    if not key or match is None:
        return _("The whole decree")
    section = str(SECTION_LABELS.get(match["section"], match["section"]))
    rest = re.sub(r"\[[0-9]+\]$", "", match["rest"] or "")
    field = str(FIELD_LABELS.get(rest, "")) if rest else ""
    if match["index"] is not None:
        section = _("%(section)s, row %(number)d", section=section, number=int(match["index"]) + 1)
    return f"{section}: {field}" if field else section


def field_id(key: str) -> str:
    """The HTML id of the field a key path names (the template's ``key|replace`` rule)."""
    return key.replace("[", "-").replace("]", "").replace(".", "-")
