"""Every place the app reads across offices, and why: a new one is a decision, not an accident.

The ORM scopes every query to the bound office (``tenancy.scoping``); the one way to lift
that for a statement is ``every_office(statement)``. This test reads the package's source
and holds the places that do to the list below, each with the reason the design allows it.
A place added or moved fails here until it is written into the list; one that goes away
fails too, so the list stays the map. On PostgreSQL the database's own wall still decides
which rows a statement sees (the unit of work's role), so an office's request that lifts
the ORM's filter by mistake still reads its own office alone (``test_row_security.py``).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "platform" / "tanggap"

#: (module, function): (how many statements, why it reads across offices).
ALLOWED: dict[tuple[str, str], tuple[int, str]] = {
    ("admin.console_views", "_filed_today"): (1, "the platform console counts every office's filings"),
    ("admin.platform_views", "outbox_figures"): (1, "the operator sees the whole platform's outbox"),
    ("alerts.new_complaints", "_settings"): (1, "a job, for the office it is telling"),
    ("alerts.new_complaints", "digest"): (1, "the daily digest job visits every office"),
    ("alerts.new_complaints", "ring"): (1, "the new-complaint job finds what every office was sent"),
    ("alerts.sweep", "_visit"): (1, "the deadline sweep records alerts for every office's complaints"),
    ("alerts.sweep", "points_of"): (1, "the sweep reads each office's alert points"),
    ("alerts.sweep", "sweep"): (1, "the deadline sweep finds due complaints of every office"),
    ("auth.tokens", "authenticate"): (1, "an API token is found by its digest before its office is known"),
    ("cli", "files_verify"): (1, "the operator checks every office's files against the store"),
    ("complaints.notices", "_received"): (1, "a notice job reads the complaint it was queued for"),
    ("complaints.staff_actions", "_linked"): (1, "a transfer names the complaint at the other end"),
    ("demo_data", "complaints"): (2, "the demo numbers rows after every office's last"),
    ("notifications.tasks", "_send"): (2, "delivery reads the message's office's channel settings"),
    ("notifications.tasks", "deliver"): (1, "delivery locks the outbox row it was queued for"),
    ("notifications.tasks", "redrive"): (1, "the re-drive job finds every office's undelivered messages"),
    ("observability", "_exports"): (1, "platform metrics count every office's exports"),
    ("observability", "_outbox"): (1, "platform metrics count every office's outbox"),
    ("reports.exporting", "build"): (1, "the export job reads the export it was queued for"),
    ("reports.figures", "_for"): (1, "the inspectorate's figures, for the offices it oversees"),
    ("reports.figures", "key_figures_rolled"): (2, "the inspectorate's figures from the rollup"),
    ("reports.oversight", "standings"): (1, "the inspectorate compares the offices of its region"),
    ("reports.rollup", "_insert_days"): (1, "the rollup job writes every office's day rows"),
    ("reports.rollup", "refresh"): (3, "the rollup job finds and clears every office's changed days"),
}


def _calls(node: ast.AST, function: str = "") -> Iterator[str]:
    """The enclosing function's name for each ``every_office(...)`` call under ``node``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _calls(child, child.name)
            continue
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id == "every_office":
            yield function
        yield from _calls(child, function)


def _uses() -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for path in PACKAGE.rglob("*.py"):
        if "migrations" not in path.parts:
            module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
            found.update((module, function) for function in _calls(ast.parse(path.read_text())))
    return found


def test_every_read_across_offices_is_one_the_design_allows():
    found = _uses()
    expected = Counter({place: count for place, (count, _why) in ALLOWED.items()})
    assert found == expected, (
        f"not in the list: {sorted(set(found) - set(expected))}; "
        f"in the list, not in the code: {sorted(set(expected) - set(found))}; "
        f"counted otherwise: {sorted(p for p in found if p in expected and found[p] != expected[p])}"
    )


def test_no_other_way_lifts_the_office_filter():
    """The option itself is named only where ``every_office`` sets it and the scoping reads it."""
    pattern = re.compile(r"CROSS_TENANT|cross_tenant\s*=")
    elsewhere = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                 if "migrations" not in path.parts and path.name != "scoping.py" and pattern.search(path.read_text())]
    assert elsewhere == []
