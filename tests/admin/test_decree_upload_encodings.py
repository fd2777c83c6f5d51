"""Uploading a decree file a Windows editor saved: UTF-8 or UTF-16 behind a byte order mark
onboards the office as the plain UTF-8 file does; bytes in none of these are refused."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.decrees.models import Decree
from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.scoping import every_office

METRO_TEXT = (Path(__file__).resolve().parents[2] / "tenants" / "disdikbud-metro" / "decree.toml").read_text()


def _upload(operator, data: bytes):
    return operator.submit("/platform/offices/upload", {"decree": (io.BytesIO(data), "decree.toml")},
                           page="/platform/offices/", content_type="multipart/form-data")


def _written() -> tuple[list[str], list[str | None]]:
    """The audit trail and the decree versions' digests: equal when an upload changed nothing."""
    actions = db.session.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    digests = db.session.execute(every_office(select(Decree.source_digest))).scalars().all()
    return list(actions), list(digests)


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + METRO_TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + METRO_TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + METRO_TEXT.encode("utf-16-be"),
], ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_a_file_saved_with_a_byte_order_mark_onboards_the_office_as_the_plain_utf8_one(operator, ctx, data):
    assert _upload(operator, METRO_TEXT.encode("utf-8")).status_code == 303
    with ctx():
        plain = _written()
    # The same office and decree: the loader finds nothing to change, a new version or an audit entry.
    marked = _upload(operator, data)
    assert marked.status_code == 303 and marked.headers["Location"].endswith("/platform/offices/disdikbud-metro")
    with ctx():
        assert _written() == plain


@pytest.mark.parametrize("language, message", [
    ("en", "The decree file must be UTF-8 text."),
    ("id", "Berkas keputusan harus berupa teks UTF-8."),
])
def test_a_file_in_none_of_the_encodings_is_refused_and_nothing_is_written(operator, ctx, language, message):
    operator.get(f"/locale/{language}")
    for data in (METRO_TEXT.encode("utf-8").replace(b"Metro", b"Metr\xff", 1),
                 codecs.BOM_UTF8 + b"\xc3",  # marked UTF-8, cut inside a character
                 codecs.BOM_UTF16_LE + METRO_TEXT.encode("utf-16-le") + b"\n",  # an odd number of bytes
                 codecs.BOM_UTF16_BE + b"\xd8\x00\x00s"):  # half a surrogate pair
        refused = _upload(operator, data)
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    with ctx():
        assert db.session.execute(select(Tenant)).first() is None
