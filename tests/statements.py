"""Counting the SQL statements a request sends, for the tests that hold a page to a budget."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Transaction control and the test's own role switching, which no budget counts.
CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET ", "RESET ", "SHOW ")


@contextmanager
def counted(*, only: str | None = None) -> Iterator[list[str]]:
    """The statements sent while a request is handled inside the block (``only`` those starting
    with that word), transaction control left out, each with its whitespace collapsed.

    A request's own statements only: the office-host middleware re-reads the host names every
    30 seconds before the request begins, and on a slow machine that re-read fell inside a
    counted block and broke a budget the page kept."""
    sent: list[str] = []

    def record(conn, cursor, statement: str, parameters, context, executemany: bool) -> None:
        words = statement.lstrip().upper()
        if has_request_context() and not words.startswith(CONTROL) and (only is None or words.startswith(only)):
            sent.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)
