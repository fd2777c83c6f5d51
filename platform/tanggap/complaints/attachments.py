"""Citizens' files: checked by what they contain, limited in size, kept outside the web root.

The type a browser claims is ignored; the first bytes decide (``filetype``), and the whole file
must then read as that type: a photo is decoded to its last pixel and written anew, which also
drops its metadata (a phone's GPS position among them); a PDF needs its header and its trailer.
Files are written to the platform's file store (``filestore``: a folder, or a bucket every
host reaches) before the transaction commits, and removed again if it rolls back, so a
failed submission leaves no orphan behind.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Protocol

import filetype
from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from .. import filestore, images
from ..database import AnySession
from ..extensions import db
from .models import Attachment, Complaint

ALLOWED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
_WRITTEN = "tanggap.files.written"
log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Stored:
    """Where a checked upload was written, and what its row records of it."""

    filename: str
    mimetype: str
    size: int
    storage_key: str
    sha256: str


class Kept(Protocol):
    """A row that records a kept file: a citizen's attachment, a delivery's evidence."""

    filename: str
    mimetype: str
    size: int
    storage_key: str


def key_of(storage_key: str) -> str:
    """A file's key in the store: rows record it relative to the store's ``uploads/``."""
    return f"uploads/{storage_key}"


def write(tenant_id: int, upload: Upload) -> Stored:
    """Keep a checked upload under the office's part of the store, to be removed again if the
    caller's transaction rolls back. Citizens' files and delivery evidence are kept alike."""
    stored = Stored(upload.filename, upload.mimetype, len(upload.content),
                    f"{tenant_id}/{uuid.uuid4().hex}.{ALLOWED_TYPES[upload.mimetype]}",
                    hashlib.sha256(upload.content).hexdigest())
    store = filestore.current()
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so the rollback that must remove the file is this transaction's
    store.put(key_of(stored.storage_key), upload.content)
    session.info.setdefault(_WRITTEN, []).append((store, key_of(stored.storage_key)))
    return stored


def read(kept: Kept) -> bytes:
    """A kept file's bytes."""
    with filestore.current().open(key_of(kept.storage_key)) as content:
        return content.read()


def download(kept: Kept) -> Response:
    """A kept file as a download that the browser will not try to run or show inline."""
    response = filestore.download(key_of(kept.storage_key), mimetype=kept.mimetype, filename=kept.filename, size=kept.size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


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
    return store(to, Upload(attachment.filename, attachment.mimetype, read(attachment)))


def _keep(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


def _remove(session: Session, transaction: SessionTransaction) -> None:
    """The whole transaction ended without a commit (``_keep`` took the commit's files): rolled
    back, or closed with the session when a request failed, which rolls back without
    ``after_soft_rollback``. A savepoint's end is not the transaction's."""
    if transaction.parent is not None:
        return
    for store, key in session.info.pop(_WRITTEN, []):
        try:
            store.delete(key)
        except Exception:  # a file nothing refers to is harmless; the rollback must not fail
            log.warning("could not remove %s after a rollback", key, exc_info=True)


def attach(session: AnySession) -> None:
    """Keep the files ``session`` wrote when its transaction commits, delete them when it does
    not; idempotent."""
    for name, listener in (("after_commit", _keep), ("after_transaction_end", _remove)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def init_app(app: Flask) -> None:
    """Files written in this application's session live and die with its transactions."""
    attach(db.session)
