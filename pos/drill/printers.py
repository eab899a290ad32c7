"""Printers that count: each receipt read back from its ESC/POS bytes (the project's
decoder), by its number and whether it is the original, a copy or a void slip."""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter as Tally

from printers.decode import DecodedReceipt, decode
from printers.emulator import PrinterEmulator
from printers.render import PAPERS, ReceiptWriter, mark

NUMBER = re.compile(r"\b([A-Z0-9]+-\d{6})\b")  # a receipt number: booth, then six digits
PROFILE = "TM-T20II"  # the booths' network printers, 80 mm
PROFILE_58 = "POS-5890"  # the printers paired with phones


_MARKS_LOCK = threading.Lock()  # an app made in two threads at once trips on Flask's globals


def marks(width_mm: int) -> dict[bytes, str]:
    """The copy's and the void slip's marks as the server draws them on this paper (its
    words from the app's catalogs), by their pixels: how a receipt read back tells them."""
    with _MARKS_LOCK:
        return _marks(width_mm)


@functools.cache
def _marks(width_mm: int) -> dict[bytes, str]:
    from pos import create_app
    from pos.receipts.content import bilingual_words

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        words = bilingual_words()
    ar, fr = words["ar"], words["fr"]
    found = {}
    for kind, text in (("copy", (ar.copy, fr.copy)), ("void", (ar.void, fr.void))):
        writer = ReceiptWriter(PAPERS[width_mm])
        mark(writer, *text)
        for receipt in decode(writer.printer.output, PAPERS[width_mm].dots):
            found[receipt.images[0].tobytes()] = kind
    return found


def kind_of(receipt: DecodedReceipt, width_mm: int) -> tuple[str | None, str]:
    """(receipt number, 'original' | 'copy' | 'void') of a printed receipt."""
    number = NUMBER.search("\n".join(receipt.text_lines))
    known = _marks(width_mm)
    kind = next((known[i.tobytes()] for i in receipt.images if i.tobytes() in known), "original")
    return (number.group(1) if number else None), kind


class Counter:
    """What came out of one booth's printer."""

    def __init__(self, width_mm: int = 80):
        self.width_mm = width_mm
        self.width = PAPERS[width_mm].dots
        self.marks = marks(width_mm)
        self.printed: Tally[tuple[str | None, str]] = Tally()
        self._lock = threading.Lock()

    def take(self, data: bytes) -> None:
        for receipt in decode(data, self.width):
            self.count(receipt)

    def count(self, receipt: DecodedReceipt) -> None:
        with self._lock:
            self.printed[kind_of(receipt, self.width_mm)] += 1


class BoothPrinter(PrinterEmulator):
    """A network printer at a booth whose receipts go to a counter; out of paper or
    switched off, it loses what it is sent, as a real one does."""

    def __init__(self, counter: Counter):
        super().__init__(port=0, paper_dots=counter.width)
        self.counter = counter

    def _take(self, receipt: DecodedReceipt, state: str) -> None:
        # Counted, not kept: a fair's thousands of receipts with their images would not fit.
        if state == "ready":
            self.counter.count(receipt)
        else:
            with self._lock:
                self.lost += 1
