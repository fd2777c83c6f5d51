"""A process's long-lived objects set aside from the garbage collector's full scans.

A web or job worker builds the app once: the imports, SQLAlchemy's mappers and compiled
statements, the catalogues, the templates; a few hundred thousand objects that live as long
as the process. CPython's full collection walks every tracked object, and work that makes
many objects (the deadline sweep's batch of five hundred complaints and their messages, a
page of complaints) sets one off every few tens of thousands of allocations: at 1,000 due
complaints a third of the sweep's time went on walking the app's own objects again.

Frozen once the app is built (``gc.freeze``), they are left out of every later scan; what a
request or job makes is collected as before. In RQ's forked work horses the frozen objects'
pages are also never written by the collector, so they stay shared with the parent.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what start-up left behind, then freeze everything still alive: call once the
    process has built what it keeps for its whole life (its app)."""
    gc.collect()
    gc.freeze()
