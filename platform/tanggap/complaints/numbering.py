"""Ticket numbers and tracking codes.

A ticket number is for people (DISDIKBUD-2026-000123): per tenant and year, with no gaps,
so an office can account for every complaint it received. The counter row is bumped in
the submitting transaction; its row lock makes concurrent submissions wait their turn and
a rolled-back submission gives its number back.

A tracking code is the citizen's key to their complaint: random, never sequential.
"""

from __future__ import annotations

import re
import secrets
from functools import cache
from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite

from ..database import AnySession
from ..tenancy.models import Tenant
from .models import TicketCounter

#: Letters and digits that cannot be mistaken for one another when read aloud or copied
#: by hand (no 0/O, 1/I/L, U).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, GROUP_LENGTH = 3, 4
_NOT_IN_ALPHABET = re.compile(f"[^{ALPHABET}]")


def next_number(session: AnySession, tenant_id: int, year: int, counter: Any = TicketCounter) -> int:
    """The next ticket number of the tenant's year, taken inside the caller's transaction.

    ``counter`` is the table of counters: any with ``tenant_id``, ``year`` and ``last`` (the
    office's letters are numbered the same way, ``letters.numbering``)."""
    bump, which = _bump(counter), {"office": tenant_id, "of_year": year}
    value = session.execute(bump, which).scalar_one_or_none()
    if value is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(counter).values(tenant_id=tenant_id, year=year, last=0).on_conflict_do_nothing()
        )
        value = session.execute(bump, which).scalar_one()
    return value


@cache
def _bump(counter: Any) -> Update:
    """The counter's increment, built once per table: every filing sends it, only the office
    and the year differ."""
    return (
        update(counter)
        .where(counter.tenant_id == bindparam("office"), counter.year == bindparam("of_year"))
        .values(last=counter.last + 1)
        .returning(counter.last)
        .execution_options(synchronize_session=False)
    )


def ticket_prefix(tenant: Tenant) -> str:
    """The office's short name in capitals: the first word of its slug (``disdikbud``)."""
    return tenant.slug.split("-")[0].upper()


def format_number(tenant: Tenant, year: int, value: int) -> str:
    return f"{ticket_prefix(tenant)}-{year}-{value:06d}"


def new_tracking_code() -> str:
    """About 59 bits of randomness, written in three groups of four (``K7QM-2XHD-9RTB``)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH))
    return _grouped(raw)


def normalize_tracking_code(text: str) -> str | None:
    """The code as stored, from what a citizen typed (any case, spaces, dashes); None if it cannot be one."""
    raw = _NOT_IN_ALPHABET.sub("", text.upper().replace("-", "").replace(" ", ""))
    cleaned = re.sub(r"[\s-]", "", text.upper())
    if len(cleaned) != CODE_GROUPS * GROUP_LENGTH or raw != cleaned:
        return None
    return _grouped(raw)


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))
