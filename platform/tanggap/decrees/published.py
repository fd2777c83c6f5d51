"""Published decree versions kept in this process's memory, by the version's id.

Every citizen's form, every filing and every inbox page needs the decree in force with all
its parts: seven SELECTs and some forty objects, for rows that never change once published
(an office changes its regime by publishing a new version, never by editing one). So each
worker keeps every published version it has read, keyed by the version's id, which names
one immutable set of rows for good (with its publication time, so that even a database
rebuilt under the same ids, as a test suite does, cannot be answered from another's copy).

*Which* version is in force for an office is kept too, but only under the office's revision
(``Tenant.revision``, read with the office on every request) and the office's day: the
database gives the office a new revision whenever any of its decree versions is written
(``tenancy.revision``), so a version published through any worker, or backdated, is seen by
the next request of every worker, and one scheduled for tomorrow takes over at the office's
midnight without anything written. The one column of a published version that does change,
``effective_until`` (set when a later version takes over), is kept with that answer, never
with the version's parts.

The kept copies belong to no session and are never handed out: each use gets its own
copy, merged into the caller's session without SQL (``Session.merge(load=False)``), so
nothing a request does to its objects (expiry at commit, a cascade, a flush) reaches
another request's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..database import AnySession
from ..kept import Kept
from . import rules as pure
from .models import Decree, DecreeStatus

#: Versions kept per process: far more than the offices of one deployment have in force,
#: few enough that a long-running worker's memory stays flat.
LIMIT = 512

#: A version's key: its id and when it was published.
Key = tuple[int, datetime | None]


class InForce(NamedTuple):
    """Which version is in force: its key, and when it stops (None: until another takes over)."""

    key: Key
    effective_until: date | None


class Part(NamedTuple):
    """A standard component as a version's outline gives it."""

    code: str
    name: dict[str, str]


class Outline(NamedTuple):
    """What pages that only name a version's components read of it (the citizen's blank
    page, the inbox), and what a filing needs of it (its deadline): read off the kept copy,
    so no request merges the version's forty objects into its session to show five names or
    file one complaint. A ``Decree`` answers to the same names."""

    id: int
    published_at: datetime | None
    components: tuple[Part, ...]
    deadline_rule: pure.Deadline


_kept: Kept[Key, Decree] = Kept(LIMIT)
_outlines: Kept[Key, Outline] = Kept(LIMIT)
#: Which version is in force (None: none is) by office, office revision and office day.
_in_force: Kept[tuple[int, str, date], InForce | None] = Kept(LIMIT * 8)


def which_in_force(tenant_id: int, revision: str, day: date, ask: Callable[[], InForce | None]) -> InForce | None:
    """Which version is in force for this office revision and day: kept, or ``ask()``-ed and kept."""
    return _in_force.get_or_make((tenant_id, revision, day), ask)


def copy_of(session: AnySession, key: Key, effective_until: date | None) -> Decree | None:
    """The kept version ``key`` as an object of ``session``, or None when it is not kept.

    None too when ``session`` already holds that version: its object may carry changes of
    this transaction that a copy would overwrite, so the caller reads it as before.
    """
    kept = _kept.get(key)
    if not isinstance(kept, Decree) or (Decree, (key[0],), None) in session.identity_map:
        return None
    decree = session.merge(kept, load=False)
    set_committed_value(decree, "effective_until", effective_until)
    return decree


def outline_of(key: Key) -> Outline | None:
    """The outline of the kept version ``key``, or None when it is not kept."""
    kept = _kept.get(key)
    if not isinstance(kept, Decree):
        return None
    return _outlines.get_or_make(key, lambda: Outline(kept.id, kept.published_at, tuple(
        Part(component.code, dict(component.name)) for component in kept.components), kept.deadline_rule))


def keep(decree: Decree) -> None:
    """Keep a published version read with all its parts (``store.with_parts()``) for later uses."""
    key = (decree.id, decree.published_at)
    if decree.status is not DecreeStatus.PUBLISHED or key in _kept:
        return
    for component in decree.components:  # resolved from the identity map now, while they can be
        for cell in component.cells:
            _ = cell.compensation
    _ = decree.deadline
    scratch = Session()  # no bind: it only holds the copy while it is made, and sends nothing
    copy = scratch.merge(decree, load=False)
    scratch.expunge_all()
    _kept.put(key, copy)
