"""Read ESC/POS bytes back into what the paper would show: a PNG and the text.

Used by the printer emulator, by the receipt preview and by the tests. It
knows the commands this package sends (and python-escpos emits); anything
else is reported, not guessed.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from printers.fonts import BOLD, REGULAR, font

ESC, GS, DLE, LF = 0x1B, 0x1D, 0x10, 0x0A
# ESC t numbers as Epson's printers (and most others) have them; a profile may say otherwise.
CODE_PAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
CELL_HEIGHT = 30
CELL_WIDTH = 12  # font A: 576 dots / 48 columns, 384 / 32


class UnknownCommand(ValueError):
    pass


@dataclass
class DecodedReceipt:
    width: int
    blocks: list = field(
        default_factory=list
    )  # ("text", str, align, bold, big) | ("image", Image, align) | ("feed", dots)
    text_lines: list[str] = field(default_factory=list)
    cut: bool = False
    drawer_kicked: bool = False
    status_queries: list[int] = field(default_factory=list)

    @property
    def images(self) -> list[Image.Image]:
        return [block[1] for block in self.blocks if block[0] == "image"]

    def to_image(self) -> Image.Image:
        """The paper as printed: printer text in 12x24-dot cells (font A), raster as sent."""
        heights = [
            CELL_HEIGHT * (2 if b[4] else 1)
            if b[0] == "text"
            else b[1]
            if b[0] == "feed"
            else b[1].height
            for b in self.blocks
        ]
        page = Image.new("1", (self.width, max(1, sum(heights) + 20)), 1)
        y = 10
        for block, height in zip(self.blocks, heights, strict=True):
            if block[0] == "text":
                _, text, align, bold, big = block
                cells = Image.new("1", (max(1, CELL_WIDTH * len(text)), CELL_HEIGHT), 1)
                cell_draw = ImageDraw.Draw(cells)
                for column, char in enumerate(text):
                    cell_draw.text(
                        (column * CELL_WIDTH, 2),
                        char,
                        font=font(19, BOLD if bold else REGULAR),
                        fill=0,
                    )
                if big:  # double height: the same glyphs, twice as tall
                    cells = cells.resize((cells.width, height), Image.Resampling.NEAREST)
                page.paste(cells, (_x(align, cells.width, self.width), y))
            elif block[0] == "image":
                _, image, align = block
                page.paste(image, (_x(align, image.width, self.width), y))
            y += height
        return page


def _x(align: int, width: int, page_width: int) -> int:
    return {0: 0, 1: max(0, (page_width - width) // 2), 2: max(0, page_width - width)}[align]


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False  # a printer's own page ("OXHOO-EUROPEAN"): read as CP437
    return True


class Decoder:
    """A streaming decoder: feed it bytes as they come, collect finished receipts."""

    def __init__(self, width: int, code_pages: dict[int, str] | None = None):
        """``code_pages``: the printer's ``ESC t`` numbers (``printers.profiles.code_pages``)."""
        self.width = width
        self.code_pages = (
            {number: name.lower() for number, name in code_pages.items() if _known(name)}
            if code_pages
            else CODE_PAGES
        )
        self.buffer = bytearray()
        self.finished: list[DecodedReceipt] = []
        self._reset()
        self.current = DecodedReceipt(width)

    def _reset(self):
        self.encoding, self.align, self.bold, self.big = "cp437", 0, False, False
        self.line = bytearray()

    def feed(self, data: bytes) -> list[int]:
        """Consume bytes; returns the status queries (DLE EOT n) met, for a printer to answer."""
        self.buffer += data
        queries: list[int] = []
        while self.buffer:
            consumed = self._step(queries)
            if consumed == 0:
                break  # a command not yet complete: wait for more bytes
            del self.buffer[:consumed]
        return queries

    def _flush_line(self):
        text = self.line.decode(self.encoding, errors="replace")
        self.current.blocks.append(("text", text, self.align, self.bold, self.big))
        self.current.text_lines.append(text)
        self.line = bytearray()

    def _step(self, queries: list[int]) -> int:
        b = self.buffer
        first = b[0]
        if first == LF:
            self._flush_line()
            return 1
        if first == DLE:
            if len(b) < 3:
                return 0
            if b[1] == 0x04:
                queries.append(b[2])
                self.current.status_queries.append(b[2])
                return 3
            raise UnknownCommand(bytes(b[:3]).hex())
        if first == ESC:
            if len(b) < 2:
                return 0
            command = b[1]
            if command == ord("@"):
                self._reset()
                return 2
            if command in (
                ord("t"),
                ord("!"),
                ord("E"),
                ord("a"),
                ord("d"),
                ord("-"),
                ord("M"),
                ord("3"),
                ord("J"),
                ord("G"),
            ):
                if len(b) < 3:
                    return 0
                value = b[2]
                if command == ord("t"):
                    self.encoding = self.code_pages.get(value, "cp437")
                elif command == ord("!"):
                    self.big = bool(value & 0x10)
                    self.bold = bool(value & 0x08) or self.bold
                elif command == ord("E"):
                    self.bold = bool(value)
                elif command == ord("a"):
                    self.align = value if value in (0, 1, 2) else value - 48
                elif command == ord("d"):
                    for _ in range(value):
                        self.current.blocks.append(("text", "", 0, False, False))
                elif command == ord("J"):  # feed so many dots: white paper
                    self.current.blocks.append(("feed", value))
                return 3
            if command == ord("2"):
                return 2
            if command == ord("p"):
                if len(b) < 5:
                    return 0
                self.current.drawer_kicked = True
                return 5
            raise UnknownCommand(bytes(b[:2]).hex())
        if first == GS:
            if len(b) < 2:
                return 0
            command = b[1]
            if command == ord("v"):
                if len(b) < 8:
                    return 0
                width_bytes = b[4] + 256 * b[5]
                height = b[6] + 256 * b[7]
                size = 8 + width_bytes * height
                if len(b) < size:
                    return 0
                image = Image.frombytes("1", (width_bytes * 8, height), bytes(b[8:size]))
                # ESC/POS raster: 1 = black; PIL mode "1" from bytes: 1 = white.
                image = Image.eval(image.convert("L"), lambda v: 255 - v).convert("1")
                # m: bit 0 doubles the width, bit 1 the height (0-3, or "0"-"3")
                mode = b[3] & 0x03
                if mode:
                    doubled = (image.width * (1 + (mode & 1)), height * (1 + (mode >> 1)))
                    image = image.resize(doubled, Image.Resampling.NEAREST)
                self.current.blocks.append(("image", image, self.align))
                return size
            if command == ord("V"):
                if len(b) < 3:
                    return 0
                mode = b[2]
                length = 4 if mode in (65, 66) else 3
                if len(b) < length:
                    return 0
                if self.line:
                    self._flush_line()
                self.current.cut = True
                self.finished.append(self.current)
                self.current = DecodedReceipt(self.width)
                return length
            if command in (ord("!"), ord("B"), ord("L"), ord("W")):
                need = 3 if command in (ord("!"), ord("B")) else 4
                if len(b) < need:
                    return 0
                if command == ord("!"):
                    self.big = bool(b[2] & 0x0F)
                return need
            raise UnknownCommand(bytes(b[:2]).hex())
        self.line.append(first)
        return 1


def decode(
    data: bytes, width: int, code_pages: dict[int, str] | None = None
) -> list[DecodedReceipt]:
    """All receipts in the bytes; a last one without a cut is returned too (cut=False)."""
    decoder = Decoder(width, code_pages)
    decoder.feed(data)
    receipts = list(decoder.finished)
    if decoder.line:
        decoder._flush_line()
    if decoder.current.blocks:
        receipts.append(decoder.current)
    return receipts
