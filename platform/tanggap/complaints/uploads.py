"""The files a form brings, checked and worded beside its field: the citizen's attachments and
the officer's delivery evidence go through the same checks, limits and messages."""

from __future__ import annotations

from typing import Any, Protocol

from flask_babel import gettext as _

from .. import images
from . import attachments

FILE_ERRORS = {
    "too_large": lambda name: _("%(file)s is larger than %(size)d MB.", file=name,
                                size=attachments.MAX_FILE_BYTES // (1024 * 1024)),
    "empty": lambda name: _("%(file)s is empty.", file=name),
    "type": lambda name: _("%(file)s is not a photo (JPEG, PNG, WebP) or a PDF.", file=name),
    "pixels": lambda name: _("%(file)s has more than %(count)d million pixels; send a smaller photo.", file=name,
                             count=images.MAX_PIXELS // 1_000_000),
}


class WithFiles(Protocol):
    """A form with a ``files`` field: the citizen's, and the officer's delivery form."""

    files: Any


def checked_uploads(form: WithFiles) -> list[attachments.Upload] | None:
    """The form's files, checked; None (with the errors on the field) if any is refused.

    Every file anyone gives the office goes through here, so a delivery's evidence is checked,
    worded and limited exactly as a citizen's attachments are."""
    files = [storage for storage in (form.files.data or []) if getattr(storage, "filename", "")]
    if len(files) > attachments.MAX_FILES:
        form.files.errors = [_("Attach at most %(count)d files.", count=attachments.MAX_FILES)]
        return None
    uploads, errors = [], []
    for storage in files:
        try:
            upload = attachments.check(storage)
        except attachments.FileRejected as rejected:
            errors.append(FILE_ERRORS[rejected.reason](rejected.filename))
            continue
        if upload is not None:
            uploads.append(upload)
    if errors:
        form.files.errors = errors
        return None
    return uploads
