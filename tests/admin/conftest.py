"""Fixtures of the admin and console tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def operator(make, new_visitor):
    """A platform operator, logged in, reading English."""
    make.user("ops@example.org", is_operator=True)
    visitor = new_visitor()
    visitor.login("ops@example.org")
    visitor.get("/locale/en")
    return visitor
