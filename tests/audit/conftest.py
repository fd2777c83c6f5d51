"""The audit tests' fixtures: the PostgreSQL race app (a database of its own, real connections)."""

from tests.assessments.test_races import race, race_app  # noqa: F401 (the PostgreSQL race fixtures)
