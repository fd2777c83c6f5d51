"""An integrator's client: JSON in, JSON out, with the office's token."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask


class Integrator:
    """Calls the JSON API as another system of an office would."""

    def __init__(self, app: Flask, secret: str, language: str = "id") -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {secret}", "Accept-Language": language}

    def get(self, path: str, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kwargs)

    def post(self, path: str, body: dict | None = None, **kwargs):
        return self.client.post(f"/api/v1{path}", json=body if body is not None else {}, headers=self.headers,
                                **kwargs)


@pytest.fixture
def integrator(app: Flask, make):
    """``integrator(office, scopes=..., language=..., by=...)``: a client holding a new token of the office,
    issued by its member of role ``by`` (the leader unless told)."""

    def build(office: SimpleNamespace, scopes=("read", "write"), language: str = "id", name: str = "Meja WhatsApp",
              by: str = "leader"):
        token = make.api_token(office, scopes=scopes, name=name, by=by)
        client = Integrator(app, token.secret, language)
        client.token = token
        return client

    return build


def citizen_complaint(component: str, **fields) -> dict:
    """A complaint as a channel files it for a citizen: what the web form asks, as JSON."""
    return {
        "components": [component],
        "description": "Surat keterangan belum selesai lewat dari jangka waktu yang diumumkan.",
        "occurred_on": "2026-11-02",
        "name": "Siti Rahma",
        "email": "siti@example.org",
        "phone": "081234567890",
        "consent": True,
        **fields,
    }


