"""Decree files, ``tenants/<slug>/decree.toml``: parse them and report every problem at once.

The shape is a contract (DESIGN.md, "Decree file format"): anything else is rejected with
problems naming the key path (list entries count from 0) and what is wrong. Errors reject the
file; warnings (a gap between souvenir tiers, a souvenir with no tiers, an unused
compensation, a brand colour too light for white text) let it load.

Required keys::

    [tenant]    slug, name {id, en}, region {slug, name, parent?}, timezone
    [decree]    number, title {id, en}, enacted_at
    [deadline]  hours (whole hours, 1 to 8784: "2 x 24 jam" is 48)
    [[compensations]]  code, kind, name {id, en}
    [[components]]     code, name {id, en}, compensations [codes]

Optional keys, with what each holds:

``[tenant]``
    ``address``, ``phone``, ``fax``, ``email``, ``postal_code`` (five digits), ``website``
    (http:// or https://): contact lines as the letterhead prints them. ``brand_color``
    (``#rrggbb``, carries white text). ``default_locale`` (``id`` or ``en``; ``id``).
    ``letterhead = { header = {id, en}, office = {id, en}, lines = [...] }``: the *kop
    surat*, e.g. header "PEMERINTAH PROVINSI LAMPUNG", office "DINAS SOSIAL", then the
    address lines as printed.
``[decree]``
    ``number_as_written``: the number exactly as printed when ``number`` tidies it.
    ``enacted_in`` (*ditetapkan di*). ``effective_from`` (date; defaults to ``enacted_at``,
    since both seeds are "berlaku sejak tanggal ditetapkan"). ``revokes``: numbers of
    decrees it revokes. ``signer = { name, position?, rank?, nip? }`` (NIP: 18 digits,
    spaces allowed). ``considerations`` (*Menimbang* a, b, c...) and ``legal_basis``
    (*Mengingat* 1, 2, 3...): lists of clauses without their letters or numbers.
    ``[[decree.decisions]] label, text``: the dicta of *MEMUTUSKAN* (KESATU, KEDUA...).
    ``closing``: an unnumbered closing paragraph after the dicta (Lampung's "Surat
    Keputusan ini berlaku sejak..."). ``policy``: the numbered points of the attachment
    (*Lampiran I*), sub-items on their own lines; the matrix of point 6 is in
    ``[[components]]``. ``[[decree.initials]] order, position``: the *paraf hierarki*
    table beside the signature. ``copies_to`` (*tembusan*). ``funding`` (the budget
    KELIMA charges, e.g. APBD). ``[[decree.attachments]] title, label?, number?, date?,
    contains?, initials?``: each *Lampiran* as headed, number and date as written (text,
    since attachments may disagree with the decree); ``contains`` says which part of the
    file holds its content (``policy``, ``souvenir_tiers`` or ``other``); ``initials`` is
    the attachment's own *paraf hierarki*. ``notes``: discrepancies and typos of the
    enacted text, recorded rather than corrected.
``[deadline]``
    ``counting`` (``calendar`` or ``working``; ``calendar``). With ``working``:
    ``working_days`` (ISO weekdays; 1-5), ``working_hours`` (``"HH:MM-HH:MM"`` local;
    ``"08:00-16:00"``), ``holidays`` (``"ID"`` or ``""``; ``"ID"``), ``days_off`` (dates).
``[[components]]``
    ``description = {id, en}``: what breaking the component means, in plain words for a
    citizen. ``enacted``: the matrix row's wording as enacted.
``[[souvenir_tiers]]`` (the whole table is optional)
    ``code``, ``name``, ``min_delay``, ``item`` are required; ``max_delay`` (absent for "and
    longer"), ``unit_cost`` (Rupiah), ``stock``, ``enacted`` (the row of the category table
    as enacted) are optional. A tier covers delays from ``min_delay`` (inclusive) up to
    ``max_delay`` (exclusive), ``policy.TIER_BOUNDS``: tiers ``30m``-``1h`` and ``1h``-``3d``
    meet without overlap or gap. Durations: ``30m``, ``48h``, ``3d``, ``1w``, or in words of
    either language (``2 jam``, ``3 hari``, ``1 hari 12 jam``, ``2 days``).
``[[sanctions]]`` (optional)
    ``code``, ``name``; ``kind`` (``disciplinary``, ``developmental`` or ``other``).
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from .file_reader import Problem, Reader
from .rules import Rules
from .rules_reader import read_rules
from .specs import DecreeSpec, TenantSpec, read_decree, read_tenant

TOP_LEVEL_KEYS = ("tenant", "decree", "deadline", "compensations", "components", "souvenir_tiers", "sanctions")
#: A decree file is a few pages of law (the shipped ones are under 20 KB).
MAX_FILE_CHARS = 512 * 1024
#: Tables and arrays nest two or three levels in a decree; the TOML parser recurses once per level.
MAX_NESTING = 16
#: Keys name a table or two (``name.id``); the TOML parser's work grows with the square of the parts.
MAX_KEY_PARTS = 16
_QUOTES = ('"""', "'''", '"', "'")


@dataclass(frozen=True)
class DecreeFile:
    """A decree file that loaded: the office, the decree's text, its rules, and its warnings."""

    tenant: TenantSpec
    decree: DecreeSpec
    rules: Rules
    warnings: list[Problem] = field(default_factory=list)


class DecreeFileError(ValueError):
    """A decree file that did not load, with every problem found (warnings included)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @property
    def errors(self) -> list[Problem]:
        """The problems that made the file fail, without the warnings."""
        return [problem for problem in self.problems if problem.severity == "error"]


def load_text(text: str, filename: str) -> DecreeFile:
    """Parse and validate decree TOML; raise DecreeFileError listing every problem."""
    reader = Reader(filename)
    problem = shape_problem(text)
    if problem is not None:
        reader.error("", problem)
        raise DecreeFileError(reader.problems)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reader.error("", _("not valid TOML: %(reason)s", reason=str(error)))
        raise DecreeFileError(reader.problems) from None
    return _load(reader, document)


def shape_problem(text: str) -> str | None:
    """Why ``text`` is refused before it is parsed, or None: too large, nested too deep, or a
    key of too many parts. A file is uploaded by an operator, so it must not take the worker's
    stack or seconds of its time; the TOML parser is left to judge the rest."""
    if len(text) > MAX_FILE_CHARS:
        return _("not a decree file: larger than %(size)d KB", size=MAX_FILE_CHARS // 1024)
    depth = parts = 0
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char == "#":
            position = _line_end(text, position)
            continue
        quote = next((q for q in _QUOTES if text.startswith(q, position)), None)
        if quote is not None:
            position = _string_end(text, position, quote)
            continue
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return _("tables and lists nest more than %(count)d deep", count=MAX_NESTING)
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == ".":
            parts += 1
            if parts >= MAX_KEY_PARTS:
                return _("a key has more than %(count)d parts", count=MAX_KEY_PARTS)
        elif char in "=,\n":
            parts = 0
        position += 1
    return None


def _line_end(text: str, position: int) -> int:
    found = text.find("\n", position)
    return len(text) if found < 0 else found


def _string_end(text: str, position: int, quote: str) -> int:
    """Where a string that opens at ``position`` ends (an unclosed one: the line's end, for the parser to name)."""
    start = position + len(quote)
    if len(quote) == 3:
        found = text.find(quote, start)
        return len(text) if found < 0 else found + 3
    while start < len(text) and text[start] != "\n":
        if quote == '"' and text[start] == "\\":
            start += 2
            continue
        if text[start] == quote:
            return start + 1
        start += 1
    return start


def load_document(document: dict[str, Any], filename: str) -> DecreeFile:
    """Validate an already parsed document (e.g. one an editor assembled) like a file.

    A key whose value is None counts as missing, since TOML itself has no null.
    """
    return _load(Reader(filename), document)


def load_file(path: str | PathLike[str]) -> DecreeFile:
    """Load a decree file, or the ``decree.toml`` inside a tenant folder."""
    filename, text = _read_path(path)
    if text is None:
        raise DecreeFileError([Problem(filename, "", _("cannot be read"))])
    return load_text(text, filename)


def check_text(text: str, filename: str) -> list[Problem]:
    """Every problem of uploaded decree text, errors and warnings; empty when it is clean."""
    try:
        return load_text(text, filename).warnings
    except DecreeFileError as error:
        return error.problems


def check_file(path: str | PathLike[str]) -> list[Problem]:
    """Every problem of a decree file (or tenant folder), for ``flask decree check``."""
    filename, text = _read_path(path)
    if text is None:
        return [Problem(filename, "", _("cannot be read"))]
    return check_text(text, filename)


def decoded(data: bytes) -> str | None:
    """The text of a decree file's bytes, or None when they are not text we read.

    Windows editors (Notepad among them) save UTF-8 with a byte order mark, or UTF-16 with
    one; the mark says which, and is dropped. Without a mark the file is UTF-8: an encoding is
    never guessed, so a file that is neither is refused rather than read wrongly. The upload,
    ``flask tenants load`` and ``flask decree check`` all read through here.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # reads the mark for the byte order
    else:
        encoding = "utf-8-sig"  # UTF-8, its mark dropped if there is one
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _load(reader: Reader, document: dict[str, Any]) -> DecreeFile:
    if reader.table(document, "", TOP_LEVEL_KEYS) is None:
        raise DecreeFileError(reader.problems)
    loaded = _read_document(reader, document)
    if loaded is None or reader.has_errors:
        raise DecreeFileError(reader.problems)
    return loaded


def _read_document(reader: Reader, document: dict[str, Any]) -> DecreeFile | None:
    tenant_value = reader.raw(document, "", "tenant", required=True)
    decree_value = reader.raw(document, "", "decree", required=True)
    tenant = None if tenant_value is None else read_tenant(reader, tenant_value)
    decree = None if decree_value is None else read_decree(reader, decree_value)
    rules, enacted_rows = read_rules(reader, document, decree.number if decree else None)
    if tenant is None or decree is None or rules is None:
        return None
    decree = replace(decree, enacted_rows=enacted_rows)
    return DecreeFile(tenant=tenant, decree=decree, rules=rules, warnings=list(reader.problems))


def _read_path(path: str | PathLike[str]) -> tuple[str, str | None]:
    """The name to report problems under, and the text (None when it cannot be read)."""
    file = Path(path)
    if file.is_dir():
        file = file / "decree.toml"
    try:
        return str(file), decoded(file.read_bytes())
    except OSError:
        return str(file), None


__all__ = [
    "DecreeFile",
    "DecreeFileError",
    "DecreeSpec",
    "Problem",
    "TenantSpec",
    "check_file",
    "check_text",
    "decoded",
    "load_document",
    "load_file",
    "load_text",
]
