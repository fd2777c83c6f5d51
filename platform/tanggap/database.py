"""The declarative base, shared column types, small query helpers, and where a unit of work ends.

Every table uses one constraint naming convention so that Alembic migrations get stable
names on PostgreSQL and SQLite alike. Times are stored in UTC and always come back
timezone-aware, whatever the database keeps. A request, a job and a command are each one
transaction, committed or rolled back here and nowhere else (``init_app``, ``unit_of_work``,
``commit_progress``, ``discard``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, TypeAlias, TypeVar

from flask import Flask, Response, abort
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import JSON, Date, DateTime, Integer, MetaData, Result, Table, bindparam, column, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, registry, scoped_session
from sqlalchemy.schema import ColumnDefault
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The largest id an integer column holds (PostgreSQL's ``integer``): URLs and filters
#: naming a larger one find nothing rather than reach the database with it.
LARGEST_ID = 2_147_483_647


def whole_number(text: str | None, largest: int = LARGEST_ID) -> int | None:
    """``text`` as a whole number from 0 to ``largest``, or None for anything else.

    Only the ASCII digits count: ``str.isdigit`` also passes "²" and other digits ``int``
    refuses, and an id past ``largest`` would overflow the database's integer.
    """
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(largest)):
        return None
    number = int(text)
    return number if number <= largest else None


class position_of(FunctionElement[int]):
    """Where ``needle`` first occurs in ``text``, from 1; 0 when it does not: ``strpos`` on
    PostgreSQL, ``instr`` on SQLite (their arguments in the opposite order)."""

    type = Integer()
    inherit_cache = True

    def __init__(self, needle: Any, text: Any) -> None:
        super().__init__(needle, text)


@compiles(position_of)
def _instr(element: position_of, compiler: Any, **kw: Any) -> str:
    needle, text = element.clauses
    return f"instr({compiler.process(text, **kw)}, {compiler.process(needle, **kw)})"


@compiles(position_of, "postgresql")
def _strpos(element: position_of, compiler: Any, **kw: Any) -> str:
    needle, text = element.clauses
    return f"strpos({compiler.process(text, **kw)}, {compiler.process(needle, **kw)})"


def insert_rows(model: Any, rows: Sequence[Mapping[str, Any]], *, returning: Sequence[Any] = (),
                unless_conflict_on: Sequence[str] | None = None) -> Result[Any] | None:
    """Many rows of one table in one statement, each row's Python-side defaults filled in,
    optionally skipping the rows a unique index already holds (``unless_conflict_on``);
    the ``returning`` columns of the rows written, or None when nothing was asked back.

    On PostgreSQL the rows go as one JSON document, read back into typed rows by
    ``json_to_recordset``: a batch of a thousand rows is a statement of one parameter, the
    same text for every batch, which SQLAlchemy compiles once and the driver sends as it is.
    Sent as a VALUES list, a batch was a statement thousands of parameters long, written out
    and parsed again each time; sent as one array a column, each text was quoted and escaped
    element by element in Python. Either took most of a deadline sweep's time. SQLite takes
    the rows as they are.

    A column no row names takes its default; a column only some rows name is NULL in the
    others. Rows are written as given: the caller checks they belong to the bound office
    (``notifications.outbox.owe_many``).
    """
    from .extensions import db

    if not rows:
        return None
    table: Table = model.__table__
    named = dict.fromkeys(name for row in rows for name in row)
    defaults = {column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
                for column in table.columns if column.name not in named and isinstance(column.default, ColumnDefault)}
    complete = [{**dict.fromkeys(named), **defaults, **row} for row in rows]
    names = [*named, *defaults]
    dialect = db.session.get_bind().dialect
    if dialect.name == "postgresql":
        given = _json_rows(table, names, complete, dialect)
        source = select(*(given.c[name] for name in names))
        # PostgreSQL's own INSERT only where ON CONFLICT needs it: SQLAlchemy compiles that
        # construct anew for every statement, and keeps the plain one's compiled form.
        statement: Any = (postgresql.insert(table) if unless_conflict_on is not None else insert(table)
                          ).from_select(names, source)
        parameters = None
    else:
        statement = sqlite.insert(table)
        parameters = complete
    if unless_conflict_on is not None:
        statement = statement.on_conflict_do_nothing(index_elements=list(unless_conflict_on))
    if returning:
        return db.session.execute(statement.returning(*returning), parameters)
    db.session.execute(statement, parameters)
    return None


def update_rows(model: Any, rows: Sequence[Mapping[str, Any]], *, key: str = "id") -> None:
    """Many rows of one table changed, each found by its ``key`` column, in one statement:
    every row names the same columns. The columns' own ``onupdate`` values are set as by any
    update.

    On PostgreSQL the rows go as one JSON document joined to the table (``UPDATE ... FROM
    json_to_recordset``): sent as many parameter sets instead, a thousand rows were a
    thousand statements for the database to run one by one, most of a deadline sweep's
    time in the database. SQLite takes them as many parameter sets.
    """
    from .extensions import db

    if not rows:
        return
    table: Table = model.__table__
    names = list(rows[0])
    dialect = db.session.get_bind().dialect
    if dialect.name == "postgresql":
        given = _json_rows(table, names, rows, dialect)
        db.session.execute(update(table).where(table.c[key] == given.c[key])
                           .values({name: given.c[name] for name in names if name != key}))
        return
    db.session.execute(
        update(table).where(table.c[key] == bindparam(f"row_{key}"))
        .values({name: bindparam(f"row_{name}") for name in names if name != key}),
        [{f"row_{name}": value for name, value in row.items()} for row in rows])


def _json_rows(table: Table, names: Sequence[str], rows: Sequence[Mapping[str, Any]], dialect: Any) -> Any:
    """``rows`` as one JSON parameter, read back by PostgreSQL into rows of ``names``, each
    typed as its column (``json_to_recordset``)."""
    document = bindparam("rows", _json_ready(table, names, rows, dialect), postgresql.JSON)
    return (func.json_to_recordset(document).table_valued(*(column(name, table.c[name].type) for name in names))
            .render_derived(with_types=True))


def _json_ready(table: Table, names: Sequence[str], rows: Sequence[Mapping[str, Any]],
                dialect: Any) -> list[dict[str, Any]]:
    """The rows as JSON can carry them: each value through its column type's own conversion
    for the database (an enum to its stored text, a time to UTC, refused if naive), then
    times and days as ISO 8601, which PostgreSQL reads back into the declared column types.
    A JSON column's value stays a document of its own."""
    convert = {name: None if isinstance(table.c[name].type, JSON) else table.c[name].type.bind_processor(dialect)
               for name in names}
    converting = {name: processor for name, processor in convert.items() if processor is not None}
    # Only a time or day column holds times or days: the others' values are left unlooked-at.
    temporal = [name for name in names if isinstance(table.c[name].type, (DateTime, Date, UTCDateTime))]
    ready = []
    for row in rows:
        values = dict(row)
        for name, processor in converting.items():
            values[name] = processor(values[name])
        for name in temporal:
            if values[name] is not None:
                values[name] = values[name].isoformat()
        ready.append(values)
    return ready


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp kept in UTC that refuses naive datetimes on the way in.

    SQLite forgets offsets; PostgreSQL keeps them. Normalising here means the rest of the
    code compares and hashes the same value on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """Base of every model: the naming convention and the UTC timestamp type."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


M = TypeVar("M")

#: A session of one's own, or Flask-SQLAlchemy's ``db.session``, which stands for the current one.
AnySession: TypeAlias = Session | scoped_session[Any]


def get_or_404(model: type[M], **criteria: Any) -> M:
    """One row by its criteria through a real SELECT, or the 404 page.

    ``session.get`` answers from the identity map without a query and so without tenant
    scoping; a SELECT always passes through it, so another tenant's row is simply absent.
    """
    from .extensions import db

    row = db.session.execute(select(model).filter_by(**criteria)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


#: The bind of the database role that reads across offices (``TANGGAP_CROSS_DATABASE_URL``).
CROSS_BIND = "cross"
#: Set on ``flask.g`` by the few units of work that read across offices.
_ACROSS = "across_offices"


def reads_across() -> bool:
    """Whether the work running now is one of the few that read across offices.

    Work outside any request (jobs on a worker, commands, the shell) does; a request does
    only where it said so (``across_offices``): the inspectorate, the console, a job run
    inline. An office's pages never do, so their statements always go through the app
    role, whose row policies admit the declared office's rows and nothing else.
    """
    from flask import g, has_app_context, has_request_context

    if not has_app_context():
        return False
    return bool(g.get(_ACROSS)) or not has_request_context()


def mark_across_offices() -> None:
    """Mark the current unit of work (an app context: a job, a console or inspectorate request)
    as reading across offices, to its end."""
    from flask import g

    setattr(g, _ACROSS, True)


@contextmanager
def across_offices() -> Iterator[None]:
    """Read across offices inside the block only: the narrow look-ups an office's request or an
    API call needs before it knows, or to name, another office's row (a token by its digest,
    the other end of a transfer). Nothing written inside may depend on it."""
    from flask import g

    previous = g.get(_ACROSS, False)
    setattr(g, _ACROSS, True)
    try:
        yield
    finally:
        setattr(g, _ACROSS, previous)


class RoutingSession(FlaskSession):
    """Flask-SQLAlchemy's session, sending the cross-office readers' statements to their role.

    On PostgreSQL the app has two roles (DESIGN.md, "Tenancy"): the app role, behind policies
    that admit only the declared office, and the cross role, which the policies let read
    every office. Which one a statement goes through is decided by the unit of work, never
    by anything the statement or the connection says. Without a cross bind (the embedded
    SQLite default, or a development database) there is one engine for everything.
    """

    def get_bind(self, mapper: Any | None = None, clause: Any | None = None, bind: Any | None = None,
                 **kwargs: Any) -> Any:
        if bind is None and reads_across():
            engines = self._db.engines
            if CROSS_BIND in engines:
                return engines[CROSS_BIND]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


# One unit of work per request, per job, per command ----------------------------------------
#
# After-commit hooks queue the outbox's messages and keep written files (a rollback deletes
# them), so where a transaction ends decides what happens. It ends in one place for each kind
# of work: here. Views and logic add and flush (when they need ids); they never commit.

def init_app(app: Flask) -> None:
    """End each request's unit of work before its response leaves, so a commit that fails is
    a 500 and never a success already sent.

    An answer below 400 commits. A refusal (4xx) or an error (5xx) rolls back, as it always
    has here: nothing a refused request wrote survives it, which is how a ticket number taken
    by a submission that then failed is given back, and how a stored file is deleted again
    (``complaints.attachments``). What must survive a refusal is committed before the refusal
    is decided, through ``commit_progress`` (the API token's use, recorded before its
    request is judged); failed log-ins and rate limits are counted by the limiter, outside
    the database. An exception never reaches here with a transaction open: the error page
    rolls back (``web``), and Flask-SQLAlchemy closes the session when the context ends.

    Registered last among the app's own hooks, so it runs before the others (Flask runs them
    in reverse): those that log the answer see the 500 a failed commit turns it into.
    """

    @app.after_request
    def _end_unit_of_work(response: Response) -> Response:
        if response.status_code < 400:
            _commit()
        else:
            _roll_back()
        return response


#: ``session.info`` key: what waits for the unit of work to commit (``once_committed``).
_ONCE_COMMITTED = "tanggap.once_committed"


def once_committed(action: Callable[[], object]) -> None:
    """Run ``action`` after the current unit of work commits, and never if it rolls back: a mail
    that names what the work made (an invitation's link) must not go out for work undone."""
    from .extensions import db

    db.session.info.setdefault(_ONCE_COMMITTED, []).append(action)


def _commit() -> None:
    from .extensions import db

    db.session.commit()
    for action in db.session.info.pop(_ONCE_COMMITTED, []):
        action()


def _roll_back() -> None:
    from .extensions import db

    db.session.info.pop(_ONCE_COMMITTED, None)
    db.session.rollback()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One job's or one command's work: committed once when the block ends, rolled back if it
    raises. The app context (and so the session) is the caller's."""
    try:
        yield
    except BaseException:
        _roll_back()
        raise
    _commit()


def discard() -> None:
    """Undo what the unit of work wrote so far, and go on in a new transaction: a step that was
    refused (its writes must not survive, whatever status the answer then has), or a filing
    found to be a resend, whose ticket number goes back. What was waiting for the commit
    (``once_committed``) is dropped with it. The one rollback of work that goes on: grep for
    it to find every one."""
    _roll_back()


def commit_progress() -> None:
    """Commit the unit of work's writes so far, because someone outside it must see them before
    it ends: an export's progress, read by the page that polls it; a sweep's finished batch,
    whose row locks the next worker waits on; a row that a job run inline reads in a session of
    its own; a delivery's failed attempt, kept when the job raises for RQ to retry it; the API
    token's use, recorded whatever its request answers. The only commit outside the end of a
    unit of work: grep for it to find every one."""
    from .extensions import db

    db.session.commit()
