"""What a tenant looks like: its colours, computed once from its brand colour.

Text on the brand colour must stay readable (WCAG AA, 4.5:1), so the text colour is
chosen by contrast rather than trusted to the office's taste.
"""

from __future__ import annotations


#: The page's background in tanggap.css: links in the brand's dark shade sit on it.
PAGE_BACKGROUND = "#f6f7f9"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_color_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background``."""
    return "#ffffff" if contrast_ratio(background, "#ffffff") >= contrast_ratio(background, "#111111") else "#111111"


def shade(hex_color: str, factor: float) -> str:
    """The colour darkened (factor < 1) or lightened towards white (factor > 1)."""
    h = hex_color.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    if factor <= 1:
        rgb = [round(c * factor) for c in rgb]
    else:
        rgb = [round(c + (255 - c) * (factor - 1)) for c in rgb]
    return "#" + "".join(f"{max(0, min(255, c)):02x}" for c in rgb)


def brand_palette(brand_color: str) -> dict[str, str]:
    """CSS custom properties for one tenant's pages (each background has its own text colour)."""
    dark = shade(brand_color, 0.75)
    return {
        "--brand": brand_color,
        "--brand-text": text_color_on(brand_color),
        "--brand-dark": dark,
        "--brand-dark-text": text_color_on(dark),
        "--brand-soft": shade(brand_color, 1.9),
    }


def stylesheet(brand_color: str) -> str:
    """The office's colours as CSS variables (its ``brand.css``): pages and PDFs link to it."""
    return ":root{" + "".join(f"{name}:{value};" for name, value in brand_palette(brand_color).items()) + "}\n"
