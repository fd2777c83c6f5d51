"""The keys of a decree's ``[decree]`` table, each declared once.

The file reader (``specs.read_decree``), the store's columns (``store.text_fields``,
``TEXT_COLUMNS``), the version's fingerprint and the admin's editor (its sections and inputs)
are all derived from ``DECREE_FIELDS``, so a new key is one line here, its column on
``Decree`` and a migration (docs/architecture.md, "Adding a decree field").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

#: The width of the decree's short text columns (number, place enacted, funding).
TEXT_COLUMN = 120

Kind = Literal["line", "date", "text", "paragraph", "lines", "signer", "decisions", "initials", "attachments"]
#: The kinds whose value is a list (empty: ``()``); the others are one value (empty: None).
LIST_KINDS = ("lines", "decisions", "initials", "attachments")


@dataclass(frozen=True)
class DecreeField:
    """One key of the ``[decree]`` table, declared once: the file reader, the store's columns
    and the editor's inputs are all derived from ``DECREE_FIELDS``.

    ``kind`` says how it is read, stored and edited: ``line`` (short text), ``date``, ``text``
    (bilingual, ``{id, en}``), ``paragraph`` (long text), ``lines`` (a list of clauses), or one of
    the structured kinds (``signer``, ``decisions``, ``initials``, ``attachments``).
    """

    key: str
    #: What the editor calls it: an input's label, or the legend of a part of its own (None: not edited).
    label: LazyString | None
    kind: Kind
    #: The ``Decree`` column that holds it; None keeps it in the ``document`` column.
    column: str | None = None
    required: bool = False
    #: At most this many characters (the column's width).
    longest: int | None = None
    #: The editor's hint under its legend.
    help: LazyString | None = None

    @property
    def edited(self) -> bool:
        """Whether the office admin's editor shows it; the others keep what the file said."""
        return self.label is not None

    @property
    def empty(self) -> Any:
        """The value of a key the file leaves out."""
        return () if self.kind in LIST_KINDS else None


DECREE_FIELDS = (
    DecreeField("number", _l("Number"), "line", column="number", required=True, longest=TEXT_COLUMN),
    DecreeField("number_as_written", None, "line"),
    DecreeField("enacted_at", _l("Enacted on"), "date", column="enacted_at", required=True),
    DecreeField("enacted_in", _l("Enacted in"), "line", column="enacted_in", longest=TEXT_COLUMN),
    DecreeField("effective_from", _l("In force from"), "date", column="effective_from"),
    DecreeField("title", _l("Title"), "text", column="title", required=True),
    DecreeField("funding", _l("Funding (e.g. APBD)"), "line", column="funding", longest=TEXT_COLUMN),
    DecreeField("considerations", _l("Considerations (Menimbang)"), "lines", column="considerations", help=_l(
        "One clause per line, without its letter: a, b, c... are added when the decree is printed.")),
    DecreeField("legal_basis", _l("Legal basis (Mengingat)"), "lines", column="legal_basis",
                help=_l("One law or regulation per line, without its number.")),
    DecreeField("decisions", _l("Decisions (KESATU, KEDUA, ...)"), "decisions", column="decisions",
                help=_l("The dicta of MEMUTUSKAN, in order: a label (KESATU) and its text.")),
    DecreeField("signer", _l("Signed by"), "signer", column="signer"),
    DecreeField("closing", _l("Closing paragraph"), "paragraph",
                help=_l("An unnumbered paragraph after the decisions, if the decree has one.")),
    DecreeField("copies_to", _l("Copies to (Tembusan)"), "lines", column="copies_to",
                help=_l("One recipient per line.")),
    DecreeField("revokes", _l("Decrees it revokes"), "lines", column="revokes",
                help=_l("The number of each decree this one revokes, one per line.")),
    DecreeField("policy", _l("Points of the attachment (Lampiran I)"), "lines", help=_l(
        "One numbered point per entry, without its number; the compensation matrix and the souvenir"
        " categories are written below.")),
    DecreeField("initials", None, "initials", column="initials"),
    DecreeField("attachments", None, "attachments"),
    DecreeField("notes", None, "lines", column="notes"),
)
DECREE_KEYS = tuple(field.key for field in DECREE_FIELDS)
#: The parts of the signer: key, the editor's label, and the label a problem is named by.
SIGNER_PARTS = (
    ("name", _l("Name, with degrees"), _l("Signer's name")),
    ("position", _l("Position (e.g. Kepala Dinas)"), _l("Signer's position")),
    ("rank", _l("Rank (e.g. Pembina Utama Muda)"), _l("Signer's rank")),
    ("nip", _l("NIP (18 digits)"), _l("Signer's NIP")),
)
FIELDS_BY_KEY = {field.key: field for field in DECREE_FIELDS}
