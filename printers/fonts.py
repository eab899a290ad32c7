"""The receipt font: IBM Plex Sans Arabic covers Arabic and Latin (accents included),
so every line draws without boxes. It is installed as a Python dependency."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg
from PIL import ImageFont

FAMILY = "IBM Plex Sans Arabic"


@cache
def font_path(bold: bool = False) -> Path:
    return fontpkg.path(FAMILY, weight=700 if bold else 400)


@cache
def font(size: int, bold: bool = False, basic: bool = False) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.BASIC if basic else ImageFont.Layout.RAQM
    return ImageFont.truetype(str(font_path(bold)), size, layout_engine=engine)
