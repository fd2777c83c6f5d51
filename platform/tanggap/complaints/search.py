"""Finding complaints by their words: what the staff type into the inbox's search box.

Citizens and staff write Indonesian. On PostgreSQL a complaint matches when the words of
its search document (number, name, service, description and what the citizen added
later) share the stems of the words asked for (the ``indonesian`` configuration finds
*dilayani* for "pelayanan"), or when the document holds the text as typed, anywhere
(trigrams: part of a ticket number, part of a name or a word). Both are answered from
indexes led by the office, read through ``office_complaint_search`` (the migration
e2c8b5a1f903 says why: behind row-level security the indexes would go unused); the
complaints are then read by id, behind the wall. SQLite, the embedded default, reads the
same document with LIKE.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, column, func, literal, literal_column, or_, select, table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ..tenancy.context import current_tenant_id
from .models import Complaint

#: The text search configuration PostgreSQL ships for Indonesian (stemming, stop words).
CONFIGURATION = "indonesian"
#: The declared office's search documents (PostgreSQL only; see the module's docstring).
_OFFICE_DOCUMENTS = table("office_complaint_search", column("id"), column("tenant_id"), column("search_document"))


class _Matches(FunctionElement[bool]):
    """The complaint's search document holds these words; written in each database's way."""

    type = Boolean()
    inherit_cache = True
    name = "complaint_matches"


def matches(words: str) -> ColumnElement[bool]:
    """Complaints of the bound office whose search document holds ``words`` (stems, or the text as typed)."""
    return _Matches(Complaint.id, Complaint.search_document, literal(current_tenant_id()),
                    literal(words), literal(f"%{escape(words)}%"))


def escape(text: str) -> str:
    """The text as LIKE reads it literally (``%`` and ``_`` are characters, not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@compiles(_Matches, "postgresql")
def _postgresql(element: _Matches, compiler: Any, **kw: Any) -> str:
    complaint_id, _document, tenant_id, words, pattern = element.clauses
    configuration: ColumnElement[Any] = literal_column(f"'{CONFIGURATION}'::regconfig")
    document = _OFFICE_DOCUMENTS.c.search_document
    # The indexes' own expressions, so the planner uses them.
    stems = func.to_tsvector(configuration, document).op("@@")(func.plainto_tsquery(configuration, words))
    found = select(_OFFICE_DOCUMENTS.c.id).where(
        _OFFICE_DOCUMENTS.c.tenant_id == tenant_id, or_(stems, document.ilike(pattern, escape="\\")))
    # ARRAY(...) is planned on its own (an InitPlan): the ids come from the indexes, then the
    # complaints are fetched by primary key behind the wall.
    return f"{compiler.process(complaint_id, **kw)} = ANY(ARRAY({compiler.process(found, **kw)}))"


@compiles(_Matches)
def _elsewhere(element: _Matches, compiler: Any, **kw: Any) -> str:
    _complaint_id, document, _tenant_id, _words, pattern = element.clauses
    return compiler.process(document.ilike(pattern, escape="\\"), **kw)
