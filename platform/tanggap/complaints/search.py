"""Finding complaints by their words: what the staff type into the inbox's search box.

Citizens and staff write Indonesian. On PostgreSQL a complaint matches when the words of
its search document (number, name, service, description and what the citizen added
later) share the stems of the words asked for (the ``indonesian`` configuration finds
*dilayani* for "pelayanan"), or when the document holds the text as typed, anywhere
(trigrams: part of a ticket number, part of a name or a word). Both are answered from
indexes led by the office. SQLite, the embedded default, reads the same document with LIKE.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, func, literal_column, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from .models import Complaint

#: The text search configuration PostgreSQL ships for Indonesian (stemming, stop words).
CONFIGURATION = "indonesian"


class _Matches(FunctionElement[bool]):
    """The complaint's search document holds these words; written in each database's way."""

    type = Boolean()
    inherit_cache = True
    name = "complaint_matches"


def matches(words: str) -> ColumnElement[bool]:
    """Complaints whose search document holds ``words`` (stems, or the text as typed)."""
    return _Matches(Complaint.search_document, func.lower(words), f"%{escape(words)}%")  # type: ignore[return-value]


def escape(text: str) -> str:
    """The text as LIKE reads it literally (``%`` and ``_`` are characters, not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@compiles(_Matches, "postgresql")
def _postgresql(element: _Matches, compiler: Any, **kw: Any) -> str:
    document, words, pattern = element.clauses
    configuration = literal_column(f"'{CONFIGURATION}'::regconfig")
    # The index's own expression, so the planner can use it.
    stems = func.to_tsvector(configuration, document).op("@@")(func.plainto_tsquery(configuration, words))
    return compiler.process(or_(stems, document.ilike(pattern, escape="\\")), **kw)


@compiles(_Matches)
def _elsewhere(element: _Matches, compiler: Any, **kw: Any) -> str:
    document, _words, pattern = element.clauses
    return compiler.process(document.ilike(pattern, escape="\\"), **kw)
