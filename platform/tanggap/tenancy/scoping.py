"""Automatic tenant scoping of every ORM query, and its single explicit opt-out.

While a tenant is bound, each SELECT that touches a ``TenantScoped`` model gets
``tenant_id = :current`` added, and each new row takes ``tenant_id`` from the context when
it is constructed. With no tenant bound such a query is refused, never answered with all
rows. Code that must read across tenants (the inspectorate, the platform console, jobs
that sweep every office) says so in one way, ``every_office(statement)``; grep for
``every_office`` to find every such place (``tests/tenancy/test_cross_office_reads.py``
lists them, so a new one is a decision, not an accident). That lifts the ORM's filter
only: on PostgreSQL the rows the database admits depend on the role the unit of work runs
as (``row_security``), so on an office's pages such a statement still sees that office alone.

Holes this layer cannot close, by design of the ORM: ``session.get`` answers from the
identity map without a query (use ``database.get_or_404``), and ``text()`` or Core
statements are not filtered.

The listeners are this application's: ``init_app`` attaches them to its session (and to the
tenant-owned models), so a session of one's own, a script's or another library's, is not
scoped by importing this module.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from flask import Flask
from sqlalchemy import ForeignKey, Table, event
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.util import find_tables
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria

from ..database import AnySession
from ..kept import Kept
from .context import current_tenant_id

#: The execution option that lifts scoping for one statement (set by ``every_office``).
CROSS_TENANT = "cross_tenant"

Statement = TypeVar("Statement", bound=Executable)


def every_office(statement: Statement) -> Statement:
    """``statement`` read across every office: the ORM's office filter lifted for it alone."""
    return statement.execution_options(**{CROSS_TENANT: True})


class TenantScopeError(RuntimeError):
    """A tenant-owned table was read or written without (or against) the bound tenant."""


class TenantScoped:
    """Mixin for every row owned by one tenant: it carries ``tenant_id`` and is scoped."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    """Whether a tenant-owned table is read anywhere in the statement (``_reads_tenant_rows``),
    remembered for a statement built once and asked again (every request's look-ups)."""
    statement = state.statement
    known = _TOUCHES.get(statement)
    if known is None:
        known = _TOUCHES[statement] = _reads_tenant_rows(state)
    return known


#: ``_touches_tenant_rows`` of statements still alive; a statement is immutable once built.
#: One found here has been asked before: it was built once, to be asked often.
_TOUCHES: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()

#: Scoped copies of statements asked more than once, by the statement's identity and the
#: office, with the statement itself (so that its identity cannot pass to another while
#: kept): a look-up asked on every request is then scoped once per office, and keeps the
#: cache key SQLAlchemy works out for it, where a copy made per execution needed a new one.
#: A copy with its key is about 16 kB, so only so many are kept; a statement made for one
#: request is asked once and never kept.
_SCOPED: Kept[tuple[int, int], tuple[Any, Any]] = Kept(256)


def _reads_tenant_rows(state: ORMExecuteState) -> bool:
    """Whether a tenant-owned table is read anywhere in the statement, subqueries included:
    ``all_mappers`` names only the top level, and a count over a subquery (a paginator's
    total) would otherwise count every office's rows."""
    if any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers):
        return True
    statement = state.statement
    if not isinstance(statement, ClauseElement):
        return False
    tables = find_tables(statement, include_aliases=True, include_joins=True, include_selects=True)
    return any(table.name in _tenant_tables() for table in tables if isinstance(table, Table))


@cache
def _tenant_tables() -> frozenset[str]:
    """The names of the tables of every ``TenantScoped`` model, gathered once: statements ask
    on every query, and the models are all declared before the first (``models.load_all``)."""
    found: set[str] = set()
    todo = list(TenantScoped.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        table = getattr(model, "__table__", None)
        if isinstance(table, Table):
            found.add(table.name)
    return frozenset(found)


def _scope_queries(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get(CROSS_TENANT):
        return
    if state.is_column_load or state.is_relationship_load:
        # The parent row was read under scoping (or an explicit opt-out); the loader
        # criteria added to that query already travel with it.
        return
    asked_before = state.statement in _TOUCHES
    if not _touches_tenant_rows(state):
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantScopeError(
            "query on a tenant-owned table with no tenant bound; bind one or pass "
            "every_office(statement) where reading across tenants is intended"
        )
    state.statement = _scoped(state.statement, tenant_id, keep=asked_before)


def _scoped(statement: Any, tenant_id: int, *, keep: bool) -> Any:
    """``statement`` with the office's criteria, kept (``_SCOPED``) when ``keep`` says it is
    asked again."""
    key = (id(statement), tenant_id)
    kept = _SCOPED.get(key)
    if isinstance(kept, tuple) and kept[0] is statement:
        return kept[1]
    scoped = statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True))
    if keep:
        _SCOPED.put(key, (statement, scoped))
    return scoped


def _take_tenant_from_context(target: TenantScoped, args: Any, kwargs: dict[str, Any]) -> None:
    # Set at construction, not at flush: by flush time the bound tenant may have changed.
    if kwargs.get("tenant_id") is None and "tenant" not in kwargs:
        tenant_id = current_tenant_id()
        if tenant_id is not None:
            kwargs["tenant_id"] = tenant_id


def _refuse_foreign_writes(session: Session, flush_context: Any, instances: Any) -> None:
    tenant_id = current_tenant_id()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        owner = obj.tenant_id if obj.tenant_id is not None else getattr(getattr(obj, "tenant", None), "id", None)
        if owner is None:
            raise TenantScopeError(f"{type(obj).__name__} has no tenant: bind one before creating it")
        if tenant_id is not None and owner != tenant_id:
            raise TenantScopeError(
                f"{type(obj).__name__} belongs to tenant {owner}, not the bound tenant {tenant_id}"
            )


def attach(session: AnySession) -> None:
    """Scope ``session``'s queries and flushes, and take new rows' tenant from the context.

    Idempotent: every app of a process (the tests make several) shares ``db.session``'s
    factory, and attaching twice would add the criteria twice.
    """
    for name, listener in (("do_orm_execute", _scope_queries), ("before_flush", _refuse_foreign_writes)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)
    if not event.contains(TenantScoped, "init", _take_tenant_from_context):
        event.listen(TenantScoped, "init", _take_tenant_from_context, propagate=True)


def init_app(app: Flask) -> None:
    """Scope this application's session (``db.session``): every request, job and command uses it."""
    from ..extensions import db

    attach(db.session)
