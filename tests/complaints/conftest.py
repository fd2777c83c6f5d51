"""Fixtures for complaint tests: a citizen's filled-in form, sent as a browser would."""

from __future__ import annotations

import pytest

from tests.assessments.test_races import race, race_app  # noqa: F401 (the PostgreSQL race fixtures)
from tests.notifications.conftest import gateway  # noqa: F401 (the messaging gateway on loopback, a fixture)


def complaint_form(**overrides) -> dict:
    """What a citizen types for a typical fee complaint; override any field."""
    data = {
        "components": ["fee"],
        "description": "Saya diminta membayar Rp 50.000 untuk legalisir ijazah, padahal layanan ini gratis.",
        "occurred_on": "2026-11-20",
        "service": "Legalisir ijazah",
        "unit": "",
        "waited_amount": "45",
        "waited_unit": "minutes",
        "charged": "50000",
        "tariff": "0",
        "name": "Siti Rahayu",
        "email": "siti@example.org",
        "phone": "0812 3456 7890",
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def file_complaint(app):
    """File a complaint through the public form as a citizen would; returns the tracking code."""
    import re

    def filed(visitor, slug: str, **overrides) -> str:
        page = f"/{slug}/pengaduan/baru"
        form_page = visitor.get(page).get_data(as_text=True)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form_page).group(1)
        response = visitor.submit(page, {"submission_key": key, **complaint_form(**overrides)})
        assert response.status_code == 303, response.get_data(as_text=True)[:3000]
        match = re.search(r"/pengaduan/([A-Z0-9-]+)/tanda-terima", response.headers["Location"])
        return match.group(1)

    return filed
