"""The till as an app on the phone's home screen: its web app manifest, in the member's
language, and its icon."""

from __future__ import annotations

import io
from functools import cache

from flask import url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw

from printers.fonts import BOLD, font

THEME = "#0b6e4f"
ICON_SIZES = (192, 512)


def manifest() -> dict:
    """Standalone from /till: opened from the home screen it looks like an app, and the
    service worker serves it offline (over HTTPS)."""
    language = str(get_locale() or "fr")
    return {
        "name": _("Tadamon till"),
        "short_name": _("Tadamon"),
        "description": _("Sell at the booth, online or offline, and print the receipts."),
        "lang": language,
        "dir": "rtl" if language == "ar" else "ltr",
        "id": "/till",
        "start_url": "/till",
        "scope": "/till",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {
                "src": url_for("till.icon", size=size),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }


def icon_png(size: int) -> bytes:
    """The name in Arabic, white on the till's green, inside the safe zone of a maskable
    icon (the middle 80 %): the same icon whatever the member's language."""
    with force_locale("ar"):
        return _icon_png(size, _("Tadamon"))


@cache
def _icon_png(size: int, word: str) -> bytes:
    image = Image.new("RGB", (size, size), THEME)
    draw = ImageDraw.Draw(image)
    face = font(size // 4, BOLD)
    draw.text(
        (size / 2, size / 2),
        word,
        font=face,
        fill="white",
        direction="rtl",
        language="ar",
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
