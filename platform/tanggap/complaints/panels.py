"""Sections that later features add to a complaint's pages, without complaints knowing them.

The assessment feature, for one, shows its finding and the package here. A feature
registers a function that returns ``(template, context)`` or None; the complaint's page
includes what they return, in order. Lower features never import higher ones: the higher
one calls down to register.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Complaint

Panel = Callable[[Complaint], "tuple[str, dict[str, Any]] | None"]

_staff: list[Panel] = []
_citizen: list[Panel] = []


def register(*, staff: Panel | None = None, citizen: Panel | None = None) -> None:
    if staff is not None and staff not in _staff:
        _staff.append(staff)
    if citizen is not None and citizen not in _citizen:
        _citizen.append(citizen)


def for_staff(complaint: Complaint) -> list[tuple[str, dict[str, Any]]]:
    return [panel for panel in (make(complaint) for make in _staff) if panel is not None]


def for_citizen(complaint: Complaint) -> list[tuple[str, dict[str, Any]]]:
    return [panel for panel in (make(complaint) for make in _citizen) if panel is not None]
