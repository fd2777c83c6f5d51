"""Fixtures of the letters tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.assessments.test_races import race, race_app  # noqa: F401 (the PostgreSQL race fixtures)
from tests.complaints.helpers import Staff


@pytest.fixture
def officer_of(new_visitor):
    """A logged-in officer of an office, as ``Staff``."""
    def login(office: SimpleNamespace) -> Staff:
        visitor = new_visitor()
        visitor.login(office.officer.email)
        return Staff(visitor, office.tenant.slug)
    return login
