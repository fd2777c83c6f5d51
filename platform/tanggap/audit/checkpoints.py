"""Signed checkpoints of the audit chains, kept where the database's owner cannot rewrite them.

A keyed hash stops a rewritten entry from verifying, but not the removal of a chain's
last entries: what is left still links up. So, periodically (``flask audit checkpoint``,
the ``audit-checkpoint`` cron job), each chain's length and head hash are appended to a
file of its own in ``TANGGAP_AUDIT_CHECKPOINTS`` (the instance folder by default), one JSON
line each, signed with the audit key. The file lives on the application's host, not in
the database; make it writable by the application's user alone (``chattr +a`` makes it
append-only). ``log.verify`` holds each chain against its last checkpoint with a valid
signature: shorter than it, or with another hash at its length, is a broken chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app

from .. import clock
from ..database import AnySession
from ..extensions import db
from .log import _canonical, _timestamp, audit_key, chains, head

#: How much of a file's end is read to find its last checkpoint (a line is about 250 bytes).
_TAIL = 64 * 1024


@dataclass(frozen=True)
class Checkpoint:
    """A chain's length and head hash at one moment, as signed then."""

    chain: int | None
    length: int
    head: str
    at: datetime


def _path(chain: int | None) -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINTS"]) / f"chain-{'platform' if chain is None else chain}.jsonl"


def _signature(fields: dict[str, object]) -> str:
    return hmac.new(audit_key(), _canonical(fields).encode(), hashlib.sha256).hexdigest()


def _parse(line: str, chain: int | None) -> Checkpoint | None:
    """The checkpoint on one line, or None if it is not one this key signed for this chain."""
    try:
        record = json.loads(line)
        fields = {name: record[name] for name in ("chain", "length", "head", "at")}
        if record["chain"] != chain or not hmac.compare_digest(str(record["signature"]), _signature(fields)):
            return None
        return Checkpoint(chain, int(fields["length"]), str(fields["head"]), datetime.fromisoformat(
            str(fields["at"]).replace("Z", "+00:00")))
    except (ValueError, KeyError, TypeError):
        return None


def latest(chain: int | None) -> Checkpoint | None:
    """The chain's last validly signed checkpoint, or None if it has none yet."""
    path = _path(chain)
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - _TAIL))
            lines = file.read().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        found = _parse(line, chain)
        if found is not None:
            return found
    return None


def write(session: AnySession | None = None) -> list[Checkpoint]:
    """Append a checkpoint for every chain whose head moved since its last one; the new ones.

    Only a chain that verifies gets one: a checkpoint must never vouch for a broken chain.
    """
    from .log import verify

    session = session or db.session
    folder = Path(current_app.config["AUDIT_CHECKPOINTS"])
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chain in chains(session):
        current = head(chain, session)
        if current is None:
            continue
        last = latest(chain)
        if last is not None and (last.length, last.head) == current:
            continue
        if verify(chain, session=session) is not None:
            continue
        fields: dict[str, object] = {"chain": chain, "length": current[0], "head": current[1],
                                     "at": _timestamp(clock.now())}
        line = _canonical({**fields, "signature": _signature(fields)}) + "\n"
        descriptor = os.open(_path(chain), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        written.append(Checkpoint(chain, current[0], current[1], datetime.fromisoformat(
            str(fields["at"]).replace("Z", "+00:00"))))
    return written
