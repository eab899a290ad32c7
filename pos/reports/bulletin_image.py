"""The evening bulletin as one picture for a messaging app (1080 × 1350, portrait): the
fair's figures so far, the day's, each day as a bar beside the previous edition's, the
leading sectors. Drawn with Pillow, Arabic shaped and right to left (``printers.text``)."""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageOps

from pos.core import labels
from printers.fonts import BOLD, REGULAR
from printers.text import draw_line

WIDTH, HEIGHT, MARGIN = 1080, 1350, 60
GREEN, PALE, GREY, INK, AMBER = (
    (11, 110, 79),
    (229, 241, 236),
    (160, 168, 164),
    (20, 20, 20),
    (255, 224, 140),
)


class _Page:
    """Text placed from the page's start edge: the left in French, the right in Arabic."""

    def __init__(self, rtl: bool):
        self.image = Image.new("RGB", (WIDTH, HEIGHT), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.rtl = rtl

    def left_of(self, start: float, width: float) -> int:
        return int(WIDTH - start - width if self.rtl else start)

    def text(
        self, start: float, top: float, text: str, size: int, *, bold=False, color=INK, end=False
    ):
        """``text`` at ``start`` from the start edge (``end``: ending there instead)."""
        line = draw_line(text, size, BOLD if bold else REGULAR)
        offset = start - line.width if end else start
        left = self.left_of(offset, line.width)
        mask = ImageOps.invert(line.convert("L"))
        self.image.paste(color, (left, int(top), left + line.width, int(top) + line.height), mask)
        return line.height

    def box(self, start: float, top: float, width: float, height: float, color) -> None:
        left = self.left_of(start, width)
        self.draw.rectangle((left, top, left + width, top + height), fill=color)


def bulletin_png(data: dict) -> bytes:
    page = _Page(labels.current_language() == "ar")
    currency = data["currency"]
    page.box(0, 0, WIDTH, 230, GREEN)
    page.text(MARGIN, 50, labels.name_of(data["event"]), 40, bold=True, color="white")
    page.text(
        MARGIN,
        130,
        _("Evening bulletin")
        + " · "
        + _("Day %(number)s, %(day)s", number=data["day_number"], day=labels.day(data["date"])),
        30,
        color="white",
    )
    page.text(MARGIN, 270, _("Net turnover so far"), 30, color=GREY)
    page.text(
        MARGIN,
        315,
        f"{labels.amount(data['so_far']['net'])} {currency}",
        76,
        bold=True,
        color=GREEN,
    )
    half = (WIDTH - 2 * MARGIN - 30) / 2
    for index, (label, value) in enumerate(
        (
            (_("Net turnover of the day"), f"{labels.amount(data['day']['net'])} {currency}"),
            (_("Number of sales of the day"), labels.number(data["day"]["sales_count"])),
        )
    ):
        start = MARGIN + index * (half + 30)
        page.box(start, 450, half, 140, PALE)
        page.text(start + 25, 475, label, 26, color=GREY)
        page.text(start + 25, 520, value, 44, bold=True)
    page.text(MARGIN, 630, _("Day by day"), 32, bold=True, color=GREEN)
    _day_bars(page, data)
    page.text(MARGIN, 1030, _("By sector"), 32, bold=True, color=GREEN)
    top = max((Decimal(s["net"]) for s in data["sectors"]), default=Decimal(0)) or Decimal(1)
    for row, sector in enumerate(data["sectors"][:5]):
        y = 1085 + row * 42
        page.text(MARGIN, y, sector["label"], 26)
        page.text(WIDTH - MARGIN, y, labels.amount(sector["net"]), 26, bold=True, end=True)
        page.box(MARGIN + 380, y + 12, int(340 * Decimal(sector["net"]) / top) or 1, 14, GREEN)
    if data["provisional"]:
        page.box(0, HEIGHT - 70, WIDTH, 70, AMBER)
        page.text(
            MARGIN,
            HEIGHT - 52,
            _("Provisional figures: not every day of the fair is closed yet."),
            24,
        )
    buffer = io.BytesIO()
    page.image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _day_bars(page: _Page, data: dict) -> None:
    """Each day a bar, the previous edition's same day a grey one beside it."""
    days = data["days"]
    values = [Decimal(d["net"]) for d in days] + [Decimal(d["previous_net"] or 0) for d in days]
    top = max(values, default=Decimal(0)) or Decimal(1)
    area_top, area_bottom = 690, 960
    slot = (WIDTH - 2 * MARGIN) / max(len(days), 6)
    for index, day in enumerate(days):
        start = MARGIN + index * slot
        for offset, value, color in (
            (0, Decimal(day["net"]), GREEN),
            (slot * 0.38, Decimal(day["previous_net"] or 0), GREY),
        ):
            height = int((area_bottom - area_top) * value / top)
            if height:
                page.box(start + offset, area_bottom - height, slot * 0.34, height, color)
        page.text(start, area_bottom + 12, labels.number(day["number"]), 24)
