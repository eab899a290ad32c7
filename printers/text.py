"""Drawing a line of Arabic (or mixed) text as a 1-bit image, shaped and right to left.

With libraqm (Pillow's wheels use it when the system has libfribidi) Pillow
shapes and orders the text itself. Without it, arabic-reshaper joins the
letters and python-bidi orders them, drawn with the basic layout; the two
ways are never combined, or the text comes out reversed twice.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

import arabic_reshaper
from bidi import get_display
from PIL import Image, ImageChops, ImageDraw, features

from printers.fonts import REGULAR, font

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Typographic marks the printer's code page lacks, and their plain forms.
_PLAIN = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "×": "x",
    }
)


@cache
def raqm_available() -> bool:
    return bool(features.check("raqm"))


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text))


def starts_right_to_left(text: str) -> bool:
    """A line's direction is its first letter's (Unicode bidi, rule P2): "Merci ! شكرا"
    reads left to right with the Arabic at its end; "شكرا ! Merci" the other way."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def printable_as_text(text: str, encoding: str = "cp858") -> str | None:
    """The text as the printer's own font can print it in ``encoding`` (a Python codec;
    "ascii" folds accents away: "é" prints "e"), or None (then draw it)."""
    if has_rtl(text):
        return None
    plain = text.translate(_PLAIN)
    if encoding == "ascii":
        plain = plain.replace("\u00a0", " ")  # French's no-break space (CP858 has it)
        plain = "".join(
            char for char in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(char)
        )
    try:
        plain.encode(encoding)
    except UnicodeEncodeError:
        return None
    return plain


def draw_line(
    text: str, size: int = 26, weight: int = REGULAR, *, use_raqm: bool | None = None
) -> Image.Image:
    """The text drawn black on white in mode "1", cropped to its ink. Do not modify the
    result: the same names come back on every receipt, so drawings are kept."""
    return _draw_line(text, size, weight, raqm_available() if use_raqm is None else use_raqm)


@lru_cache(maxsize=4096)
def _draw_line(text: str, size: int, weight: int, use_raqm: bool) -> Image.Image:
    if use_raqm:
        face = font(size, weight)
        direction = "rtl" if starts_right_to_left(text) else "ltr"
        options: dict[str, Any] = {
            "direction": direction,
            "language": "ar" if has_rtl(text) else None,
        }
        shown = text
    else:
        face = font(size, weight, basic=True)
        options = {}
        shown = get_display(arabic_reshaper.reshape(text))
    left, top, right, bottom = face.getbbox(shown, **options)
    image = Image.new("1", (max(1, int(right - left)), max(1, int(bottom - top))), 1)
    ImageDraw.Draw(image).text((-left, -top), shown, font=face, fill=0, **options)
    return crop_to_ink(image)


def crop_to_ink(image: Image.Image) -> Image.Image:
    """Trim white margins; a blank image becomes 1x1 (callers skip it)."""
    box = ImageChops.invert(image.convert("L")).getbbox()
    return image.crop(box) if box else Image.new("1", (1, 1), 1)


def is_blank(image: Image.Image) -> bool:
    return ImageChops.invert(image.convert("L")).getbbox() is None
