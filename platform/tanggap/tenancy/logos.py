"""An office's logo, shown on each of its pages: never kept as the bytes that were uploaded.

A photo or drawing in PNG, JPEG or WebP is decoded and written anew as a PNG at most 256
pixels a side. An SVG cannot be redrawn here (no rasteriser is installed), so it is kept only
when it is a plain drawing (no script, event handler or outside reference), and it is served
as an image under a sandboxing policy (``citizen.logo``), so one that slipped through runs nothing.
"""

from __future__ import annotations

import filetype
from flask_babel import gettext as _

from .. import images

LOGO_SIDE = 256
MAX_LOGO_BYTES = 2 * 1024 * 1024
RASTER_TYPES = {"image/png", "image/jpeg", "image/webp"}
SVG = "image/svg+xml"


class LogoRefused(ValueError):
    """A logo that is not kept, with the reason in the reader's language."""


def checked_logo(data: bytes, *, svg: bool = True) -> tuple[bytes, str]:
    """The logo to keep and its type; ``svg=False`` where only pictures are offered."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefused(_("The logo is larger than 2 MB."))
    if svg and images.looks_like_svg(data):
        try:
            return images.plain_svg(data), SVG
        except images.ImageRefused as refused:
            if refused.reason == "active":
                raise LogoRefused(_("The SVG logo contains a script, an event handler or a reference to another "
                                    "file; upload a plain drawing or a PNG.")) from None
            raise LogoRefused(_("The logo could not be read as an image.")) from None
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in RASTER_TYPES:
        raise LogoRefused(_("The logo must be a PNG, JPEG, WebP or SVG image.") if svg else
                          _("The logo must be a PNG, JPEG or WebP image."))
    try:
        return images.reencoded(data, "image/png", fit=LOGO_SIDE), "image/png"
    except images.ImageRefused as refused:
        if refused.reason == "pixels":
            raise LogoRefused(_("The logo has more than %(count)d million pixels.",
                                count=images.MAX_PIXELS // 1_000_000)) from None
        raise LogoRefused(_("The logo could not be read as an image.")) from None
