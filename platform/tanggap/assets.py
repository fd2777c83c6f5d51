"""Static files under fingerprinted names, so a browser or nginx may keep them for a year.

``url_for('static', filename='css/tanggap.css')`` gives ``/static/css/tanggap.3f9c0a1b2d4e.css``:
the name carries the first twelve hex digits of the file's SHA-256. A new release that
changes a file changes its name, so nothing stale is ever served from a cache, and an
unchanged file keeps its name across releases. The app answers the fingerprinted name
itself (development, tests) and nginx does the same by dropping the fingerprint from the
name (``deploy/nginx/tanggap.conf``), so no build step renames anything on disk.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

from flask import Flask, Response, abort, send_from_directory

#: ``name.<12 hex>.ext``: the fingerprint sits before the last extension.
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")
#: How long a fingerprinted file may be kept: its name changes when its content does.
A_YEAR = 365 * 24 * 3600


def fingerprint(folder: Path, filename: str) -> str | None:
    """``filename`` with its content's fingerprint, or None when there is no such file.

    Every page names a few static files, so this is one ``stat`` a call: the name is
    checked and the content hashed once for each time the file was changed."""
    try:
        found = (folder / filename).stat()
    except (OSError, ValueError):
        return None
    return _fingerprinted(folder, filename, found.st_mtime_ns) if S_ISREG(found.st_mode) else None


@lru_cache(maxsize=512)
def _fingerprinted(folder: Path, filename: str, modified: int) -> str | None:
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()):
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    stem, dot, ext = filename.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{filename}.{digest}"


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "")

    @app.url_defaults
    def _fingerprinted(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprint(folder, values["filename"]) or values["filename"]

    def serve(filename: str) -> Response:
        match = FINGERPRINTED.match(filename)
        if match and fingerprint(folder, match["stem"] + match["ext"]) == filename:
            response = send_from_directory(folder, match["stem"] + match["ext"], max_age=A_YEAR)
            response.cache_control.immutable = True
            response.cache_control.public = True
            return response
        if (folder / filename).is_file():
            return send_from_directory(folder, filename)  # an old or plain name: short cache
        abort(404)

    app.view_functions["static"] = serve
