"""The declarative base, shared column types and small query helpers.

Every table uses one constraint naming convention so that Alembic migrations get stable
names on PostgreSQL and SQLite alike. Times are stored in UTC and always come back
timezone-aware, whatever the database keeps.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TypeAlias, TypeVar

from flask import abort
from sqlalchemy import DateTime, MetaData, select
from sqlalchemy.orm import DeclarativeBase, Session, registry, scoped_session
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
