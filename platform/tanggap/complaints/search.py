"""Finding complaints by their words: what the staff type into the inbox's search box.

Citizens and staff write Indonesian. On PostgreSQL a complaint matches when the words of
its search document (number, name, service, description and what the citizen added
later) share the stems of the words asked for (the ``indonesian`` configuration finds
*dilayani* for "pelayanan"), or when the document holds the text as typed, anywhere
(trigrams: part of a ticket number, part of a name or a word). SQLite, the embedded
default, reads the same document with LIKE.

Behind row-level security PostgreSQL would not use the indexes for these (non-leakproof)
operators, so the matching ids are read through ``office_complaint_search``, a view of the
declared office's documents (migration e2c8b5a1f903 says why that is safe), and the
complaints themselves by id, behind the wall (the stems first, the text as typed only while
the stems are few: ``_candidates``). Words in most of an office's complaints make an index
no help and a long list of ids: then each row is checked as the list is read, which is quick
where an index gives the list's order (newest first, the open tabs) and reads the whole
office where none does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (BindParameter, ColumnElement, CompoundSelect, Integer, String, bindparam, column, func,
                        literal_column, or_, select, table, union)
from sqlalchemy.dialects.postgresql import ARRAY

from ..extensions import db
from ..tenancy.context import current_tenant_id
from .models import Complaint

#: The text search configuration PostgreSQL ships for Indonesian (stemming, stop words).
CONFIGURATION = "indonesian"
#: More matches than this in one office, and the words are searched row by row instead.
CANDIDATES = 2000
#: The declared office's search documents (PostgreSQL only; see the module's docstring).
_OFFICE_DOCUMENTS = table("office_complaint_search", column("id"), column("tenant_id"), column("search_document"))


#: How a search narrows the list (``matching``), each a statement's shape of its own.
LIKE, IDS, WORDS = "like", "ids", "words"


def matching(words: str) -> tuple[str, dict[str, Any]]:
    """How ``words`` narrow the bound office's complaints, and the values to ask it with: the
    kind names the condition (``condition``), so a statement built once per kind serves every
    search. On PostgreSQL the office's matching documents are looked up first: at most
    ``CANDIDATES`` of them, and the list is their ids; more, and each row is checked."""
    if "\x00" in words:  # it would end the statement where it stands (web answers such a query 400)
        raise ValueError("a NUL cannot be written into a statement")
    pattern = f"%{escape(words)}%"
    if db.session.connection().dialect.name != "postgresql":
        return LIKE, {"pattern": pattern}
    asked = {"office": current_tenant_id(), "words": words, "pattern": pattern}
    found = list(db.session.execute(_candidates(), asked).scalars())
    if len(found) <= CANDIDATES:
        return IDS, {"found": found}
    return WORDS, {"words": words, "pattern": pattern}


def condition(kind: str) -> ColumnElement[bool]:
    """The condition of one kind of search (``matching``), its values bound when asked."""
    if kind == LIKE:
        return Complaint.search_document.ilike(bindparam("pattern", type_=String()), escape="\\")
    if kind == IDS:
        return Complaint.id == func.any(bindparam("found", type_=ARRAY(Integer)))
    return _holds(Complaint.search_document, _WORDS, _PATTERN)


@cache
def _candidates() -> CompoundSelect[tuple[int]]:
    """The ids of the office's documents that hold the words, up to one more than ``CANDIDATES``;
    built once, the office, the words and the pattern given when asked.

    The stems are read first, through their index, whose statistics tell PostgreSQL well how
    many documents hold a word; the text as typed only when the stems found no more than
    ``CANDIDATES``. For a word in most of the office the list is long either way, and the
    trigrams' index, which holds every office's documents, is then never read: for a word in
    every complaint that read was 19 of 28 ms (1,000,000 complaints in 50 offices).
    """
    documents = _OFFICE_DOCUMENTS
    office = documents.c.tenant_id == bindparam("office", type_=Integer())
    stems = (select(documents.c.id).where(office, _stems(documents.c.search_document, _WORDS))
             .limit(CANDIDATES + 1).cte("stems").prefix_with("MATERIALIZED"))
    few_stems = select(func.count()).select_from(stems).scalar_subquery() <= CANDIDATES
    typed = select(documents.c.id).where(office, _typed(documents.c.search_document, _PATTERN), few_stems)
    return union(select(stems.c.id), typed).limit(CANDIDATES + 1)


def _holds(document: Any, words: BindParameter[str], pattern: BindParameter[str]) -> ColumnElement[bool]:
    # The indexes' own expressions, so the planner uses them. The text as typed is asked
    # first: where a row is checked on its own, PostgreSQL stops at the first true branch,
    # and the words are usually there as typed, so their stems (a to_tsvector of the whole
    # document, ten times the cost) are worked out only for the rest (a count among 100,000
    # complaints of a word in every one: 56 -> 5 ms).
    return or_(_typed(document, pattern), _stems(document, words))


def _typed(document: Any, pattern: BindParameter[str]) -> ColumnElement[bool]:
    return document.ilike(pattern, escape="\\")


def _stems(document: Any, words: BindParameter[str]) -> ColumnElement[bool]:
    configuration: ColumnElement[Any] = literal_column(f"'{CONFIGURATION}'::regconfig")
    return func.to_tsvector(configuration, document).op("@@")(func.plainto_tsquery(configuration, words))


def _written(name: str) -> BindParameter[str]:
    """A text given when the statement is asked, and written into it then (quoted by
    SQLAlchemy), not sent beside it.

    Which plan is quick depends on the words: a rare one is best found through the indexes,
    one in most complaints by reading rows in order until enough match. The driver prepares
    a statement it has run five times, and PostgreSQL then plans it once for whatever the
    parameters hold: the generic plan walks the indexes, and a word in every complaint
    took 2 ms before and 20 ms after (100,000 complaints). Written in, each search is
    planned for its own words, however often a connection has asked it (``matching``
    refuses a NUL, which would end the statement where it stands).
    """
    return bindparam(name, type_=String(), literal_execute=True)


#: The words asked for, and the same as a LIKE pattern, both written in (``_written``).
_WORDS, _PATTERN = _written("words"), _written("pattern")


def escape(text: str) -> str:
    """The text as LIKE reads it literally (``%`` and ``_`` are characters, not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
