"""Published decree versions kept in this process's memory, by the version's id.

Every citizen's form, every filing and every inbox page needs the decree in force with all
its parts: seven SELECTs and some forty objects, for rows that never change once published
(an office changes its regime by publishing a new version, never by editing one). So each
worker keeps every published version it has read, keyed by the version's id, which names
one immutable set of rows for good (with its publication time, so that even a database
rebuilt under the same ids, as a test suite does, cannot be answered from another's copy).

What is never cached is *which* version is in force for an office: that is one small query
on every use (``store.in_force``), so a version published through any worker, or backdated,
is seen by the next request of every worker, and a complaint keeps the version id it was
judged under. The one column of a published version that does change, ``effective_until``
(set when a later version takes over), is taken from that query, never from the cache.

The kept copies belong to no session and are never handed out: each use gets its own
copy, merged into the caller's session without SQL (``Session.merge(load=False)``), so
nothing a request does to its objects (expiry at commit, a cascade, a flush) reaches
another request's.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..database import AnySession
from .models import Decree, DecreeStatus

#: Versions kept per process: far more than the offices of one deployment have in force,
#: few enough that a long-running worker's memory stays flat.
LIMIT = 512

#: A version's key: its id and when it was published.
Key = tuple[int, datetime | None]

_kept: OrderedDict[Key, Decree] = OrderedDict()
_lock = threading.Lock()


def copy_of(session: AnySession, key: Key, effective_until: date | None) -> Decree | None:
    """The kept version ``key`` as an object of ``session``, or None when it is not kept.

    None too when ``session`` already holds that version: its object may carry changes of
    this transaction that a copy would overwrite, so the caller reads it as before.
    """
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None or (Decree, (key[0],), None) in session.identity_map:
        return None
    decree = session.merge(kept, load=False)
    set_committed_value(decree, "effective_until", effective_until)
    return decree


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
    with _lock:
        _kept[key] = copy
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)


def forget_all() -> None:
    """Empty this process's copies (tests that rebuild the database under the same ids)."""
    with _lock:
        _kept.clear()
