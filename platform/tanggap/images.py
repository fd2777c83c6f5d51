"""Images people upload (citizens' photos, offices' logos), read whole and written anew.

Writing the pixels into a new file keeps what the picture shows and drops the rest: the EXIF
block with a phone's GPS position, comments, and bytes hidden after the image. A picture is
refused by its pixel count before its pixels are decoded, since a small file can unpack to
gigabytes. An SVG cannot be redrawn here, so one is kept only when it is a plain drawing.
"""

from __future__ import annotations

import io
import re
import warnings
from xml.etree import ElementTree

from PIL import Image, ImageOps, UnidentifiedImageError

#: Pixels a picture may have (a 24-megapixel phone photo fits); Pillow's own limit is 178 million.
MAX_PIXELS = 25_000_000
#: How each kept format is written again.
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
#: What an SVG may not hold: a script, an element that embeds another document, or styles that fetch.
_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_FETCHING_STYLE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(", re.IGNORECASE)


class ImageRefused(ValueError):
    """An image that is not kept; ``reason`` is ``pixels``, ``unreadable`` or ``active``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reencoded(data: bytes, mimetype: str, fit: int | None = None) -> bytes:
    """The picture in ``data`` written anew as ``mimetype`` (one of FORMATS), turned upright as
    its EXIF said, at most ``fit`` pixels a side if given; ``ImageRefused`` otherwise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise ImageRefused("pixels")
                opened.load()  # every byte of it decodes, not only the header
                image = ImageOps.exif_transpose(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        if isinstance(error, ImageRefused):
            raise
        raise ImageRefused("unreadable") from None
    if fit is not None:
        image.thumbnail((fit, fit))
    form = FORMATS[mimetype]
    if form == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    elif form == "PNG" and fit is not None:
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format=form, **({"quality": 90} if form in ("JPEG", "WEBP") else {"optimize": True}))
    return out.getvalue()


def looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--"))  # XML text, where a picture starts with its signature


def plain_svg(data: bytes) -> bytes:
    """``data`` if it is an SVG drawing that runs nothing and fetches nothing; ``ImageRefused``
    otherwise. A document type is refused too: entities are how XML grows without bound."""
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise ImageRefused("active")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ImageRefused("unreadable") from None
    if _local(root.tag) != "svg":
        raise ImageRefused("unreadable")
    for element in root.iter():
        if _local(element.tag).lower() in _ACTIVE_ELEMENTS:
            raise ImageRefused("active")
        if _local(element.tag) == "style" and _FETCHING_STYLE.search(element.text or ""):
            raise ImageRefused("active")
        for name, value in element.attrib.items():
            attribute = _local(name).lower()
            if attribute.startswith("on"):
                raise ImageRefused("active")
            if attribute in ("href", "src") and not value.strip().startswith("#"):
                raise ImageRefused("active")
            if _FETCHING_STYLE.search(value) or "javascript:" in value.lower():
                raise ImageRefused("active")
    return data


def _local(name: str) -> str:
    """An XML name without its namespace."""
    return name.rsplit("}", 1)[-1]
