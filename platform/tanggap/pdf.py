"""HTML to PDF, with WeasyPrint, reading nothing but the app's own files.

Letters, the citizen's receipt and the monthly report are printed from the same templates
the pages use. WeasyPrint fetches what a page links to (stylesheets, the logo); here it may
read only the app's static folder and what the caller hands over by path (an office's logo
and colours, kept in the database), plus ``data:`` URIs. Anything else, an outside address
above all, is refused: a page rendered on the server must not become a way to reach the
server's network, and a PDF must not depend on a host being up.

Parsing a stylesheet is most of a small document's time (Bootstrap's alone takes about half a
second), and the app's static stylesheets never change while a process runs. So the stylesheets
a page links to are parsed here rather than by WeasyPrint: a static file once per process (keyed
by its path and modification time), an office's own (its colours) on every render. All of them
are handed to WeasyPrint in the page's order, as one origin, so the cascade between them is the
one the page's links gave.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from flask import Response, current_app

#: The address the page's relative links are resolved against; never fetched.
BASE_URL = "http://tanggap.invalid/"


class ResourceRefused(ValueError):
    """A page linked to something a PDF may not read."""


#: A static file's fingerprinted name (``assets``: ``letter.030d87071ec3.css``), read as the file it names.
_FINGERPRINT = re.compile(r"\.[0-9a-f]{12}(?=\.[A-Za-z0-9]+$)")


def _static_file(path: str) -> Path | None:
    prefix = (current_app.static_url_path or "/static").rstrip("/") + "/"
    if not path.startswith(prefix) or not current_app.static_folder:
        return None
    root = Path(current_app.static_folder).resolve()
    for name in (unquote(path[len(prefix):]), _FINGERPRINT.sub("", unquote(path[len(prefix):]))):
        target = (root / name).resolve()
        if target.is_relative_to(root) and target.is_file():
            return target
    return None


def _weasyprint() -> Any:
    """WeasyPrint, imported when first needed (Pango is loaded with it).

    Importing it sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``, which would make every
    later check of an uploaded photo (``images.reencoded``) accept a file cut in half. The
    flag is put back at once: the PDFs draw only the app's own, whole images."""
    import weasyprint
    import weasyprint.urls
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def fetcher(resources: Mapping[str, tuple[bytes, str]]) -> Any:
    """WeasyPrint's URL fetcher: the given resources by path, static files, ``data:``; nothing else."""
    _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFiles(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
                raise ResourceRefused(url)
            if parts.path in resources:
                content, mimetype = resources[parts.path]
                return URLFetcherResponse(url, content, {"Content-Type": mimetype})
            found = _static_file(parts.path)
            if found is None:
                raise ResourceRefused(url)
            mimetype = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": mimetype})

    return OwnFiles(allowed_protocols=("data",), allow_redirects=False)


def render(html: str, resources: Mapping[str, tuple[bytes, str]] | None = None) -> bytes:
    """The document as PDF bytes; ``resources`` maps a path the page links to onto its bytes and type."""
    resources = resources or {}
    fetch = fetcher(resources)
    document = _weasyprint().HTML(string=html, base_url=BASE_URL, url_fetcher=fetch, media_type="print")
    pdf: bytes = document.write_pdf(stylesheets=_linked_stylesheets(document, resources, fetch))
    return pdf


#: Static stylesheets parsed in this process, by file and modification time.
_parsed: dict[tuple[Path, int], Any] = {}
_parsed_lock = threading.Lock()


def _linked_stylesheets(document: Any, resources: Mapping[str, tuple[bytes, str]], fetch: Any) -> list[Any]:
    """The stylesheets ``document`` links to among the app's static files and ``resources``,
    parsed, in its order; each such link is then switched off so that WeasyPrint does not fetch
    and parse it again. A link to anything else stays, for the fetcher to refuse as before.

    WeasyPrint applies stylesheets given to it as the user's, below the page's own: so every
    one the page links to is given (none is left to the page), and a page with a ``<style>``
    element of its own keeps its links as they are."""
    root = document.etree_element
    if any(element.tag == "style" for element in root.iter()):
        return []
    sheets = []
    for link in root.iter("link"):
        kinds = (link.get("rel") or "").lower().split()
        if "stylesheet" not in kinds or "alternate" in kinds or not link.get("href"):
            continue
        if (link.get("media") or "all").strip().lower() not in ("all", "print"):
            continue
        url = urljoin(BASE_URL, link.get("href"))
        sheet = _stylesheet(url, resources, fetch)
        if sheet is not None:
            sheets.append(sheet)
            link.set("rel", "x-parsed")
    return sheets


def _stylesheet(url: str, resources: Mapping[str, tuple[bytes, str]], fetch: Any) -> Any:
    """The stylesheet at ``url`` parsed: a given resource anew, a static file once per process;
    None for any other address."""
    weasyprint = _weasyprint()
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    if parts.path in resources:
        content, mimetype = resources[parts.path]
        if mimetype != "text/css":
            return None
        return weasyprint.CSS(string=content.decode("utf-8"), base_url=url, url_fetcher=fetch, media_type="print")
    found = _static_file(parts.path)
    if found is None or found.suffix != ".css":
        return None
    key = (found, found.stat().st_mtime_ns)
    with _parsed_lock:
        sheet = _parsed.get(key)
    if sheet is None:
        sheet = weasyprint.CSS(string=found.read_text(encoding="utf-8"), base_url=url, url_fetcher=fetcher({}),
                               media_type="print")
        with _parsed_lock:
            _parsed[key] = sheet
    return sheet


def response(content: bytes, filename: str) -> Response:
    """A rendered PDF as a download, kept by no shared cache (it carries personal data)."""
    sent = Response(content, mimetype="application/pdf")
    sent.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    sent.headers["Cache-Control"] = "no-store"
    sent.headers["X-Content-Type-Options"] = "nosniff"
    return sent
