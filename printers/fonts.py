"""The receipt font: IBM Plex Sans Arabic covers Arabic and Latin (accents included),
so every line draws without boxes. It is installed as a Python dependency."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg
from PIL import ImageFont

FAMILY = "IBM Plex Sans Arabic"
REGULAR, MEDIUM, BOLD = 400, 500, 700


@cache
def font_path(weight: int = REGULAR) -> Path:
    return fontpkg.path(FAMILY, weight=weight)


@cache
def font(size: int, weight: int = REGULAR, basic: bool = False) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.BASIC if basic else ImageFont.Layout.RAQM
    return ImageFont.truetype(str(font_path(weight)), size, layout_engine=engine)
