"""Sections that later features add to a complaint's pages, without complaints knowing them.

The assessment feature, for one, shows its finding and the package here. Each such feature
declares a ``Panel``: its name and, for the staff's page and the citizen's tracking page, a
function that returns ``(template, context)`` or None. The app factory, which sees every
feature, hands them to ``init_app`` in the order the pages show them (``tanggap.PANELS``);
nothing is registered by importing a module. Lower features never import higher ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from .models import Complaint

#: What a page includes for one panel: a template and its context, or None to show nothing.
Section = Callable[[Complaint], "tuple[str, dict[str, Any]] | None"]

_KEY = "tanggap.complaint_panels"


@dataclass(frozen=True)
class Panel:
    """One feature's section of a complaint's pages; a side it does not show on is None."""

    name: str
    staff: Section | None = None
    citizen: Section | None = None


def init_app(app: Flask, panels: Iterable[Panel]) -> None:
    """Show ``panels`` on the complaint's pages, in this order."""
    app.extensions[_KEY] = tuple(panels)


def registered() -> tuple[Panel, ...]:
    """The panels of the running app, in the order its pages show them."""
    panels: tuple[Panel, ...] = current_app.extensions.get(_KEY, ())
    return panels


def for_staff(complaint: Complaint) -> list[tuple[str, dict[str, Any]]]:
    return _shown(complaint, [panel.staff for panel in registered() if panel.staff is not None])


def for_citizen(complaint: Complaint) -> list[tuple[str, dict[str, Any]]]:
    return _shown(complaint, [panel.citizen for panel in registered() if panel.citizen is not None])


def _shown(complaint: Complaint, sections: list[Section]) -> list[tuple[str, dict[str, Any]]]:
    return [shown for shown in (section(complaint) for section in sections) if shown is not None]
