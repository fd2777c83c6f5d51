"""Citizens' files: checked by what they contain, limited in size, kept outside the web root.

The type a browser claims is ignored; the first bytes decide (``filetype``), and the whole file
must then read as that type: a photo is decoded to its last pixel and written anew, which also
drops its metadata (a phone's GPS position among them); a PDF needs its header and its trailer.
Files are written before the transaction commits and removed again if it rolls back, so a
failed submission leaves no orphan behind.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from .. import images
from ..extensions import db
from .models import Attachment, Complaint

ALLOWED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
_WRITTEN = "tanggap.files.written"


class FileRejected(ValueError):
    """A file that cannot be kept; ``reason`` is a code the form words."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename, self.reason = filename, reason


@dataclass(frozen=True)
class Upload:
    filename: str
    mimetype: str
    content: bytes


def check(storage: FileStorage) -> Upload | None:
    """The checked upload, None for an empty file input, or ``FileRejected``."""
    if storage is None or not storage.filename:
        return None
    name = clean_filename(storage.filename)
    content = storage.stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise FileRejected(name, "too_large")
    if not content:
        raise FileRejected(name, "empty")
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise FileRejected(name, "type")
    if kind.mime == "application/pdf":
        if not whole_pdf(content):
            raise FileRejected(name, "type")
        return Upload(name, kind.mime, content)
    try:
        return Upload(name, kind.mime, images.reencoded(content, kind.mime))
    except images.ImageRefused as refused:
        raise FileRejected(name, "pixels" if refused.reason == "pixels" else "type") from None


def whole_pdf(content: bytes) -> bool:
    """A PDF from its header to its trailer: ``%PDF-`` first, ``startxref`` and ``%%EOF`` last
    (readers look for the trailer within the last kilobyte)."""
    tail = content[-1024:]
    return content.startswith(b"%PDF-") and b"startxref" in tail and b"%%EOF" in tail


def clean_filename(name: str) -> str:
    """A display name: no folders, no control characters, not too long."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or "file"
    return base[-120:]


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


@dataclass(frozen=True)
class Stored:
    """Where a checked upload was written, and what its row records of it."""

    filename: str
    mimetype: str
    size: int
    storage_key: str
    sha256: str


def write(tenant_id: int, upload: Upload) -> Stored:
    """Write a checked upload under the office's folder, to be removed again if the caller's
    transaction rolls back. Citizens' files and delivery evidence are kept alike."""
    key = f"{tenant_id}/{uuid.uuid4().hex}.{ALLOWED_TYPES[upload.mimetype]}"
    path = folder() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(upload.content)
    db.session.info.setdefault(_WRITTEN, []).append(path)
    return Stored(upload.filename, upload.mimetype, len(upload.content), key,
                  hashlib.sha256(upload.content).hexdigest())


def store(complaint: Complaint, upload: Upload, *, event_id: int | None = None) -> Attachment:
    """Write the bytes and add their row, in the caller's transaction."""
    stored = write(complaint.tenant_id, upload)
    attachment = Attachment(
        tenant_id=complaint.tenant_id, complaint=complaint, event_id=event_id, filename=stored.filename,
        mimetype=stored.mimetype, size=stored.size, storage_key=stored.storage_key, sha256=stored.sha256,
    )
    db.session.add(attachment)
    return attachment


def copy(attachment: Attachment, to: Complaint) -> Attachment:
    """The same file for another complaint (a transfer), as a file of its own."""
    content = (folder() / attachment.storage_key).read_bytes()
    return store(to, Upload(attachment.filename, attachment.mimetype, content))


def path_of(attachment: Attachment | Stored | Any) -> Path:
    """Where a kept file's bytes are (anything with a ``storage_key``)."""
    return folder() / attachment.storage_key


@event.listens_for(Session, "after_commit")
def _keep(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _remove(session: Session) -> None:
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
