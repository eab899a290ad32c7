"""Text as it goes into an organiser's spreadsheet: always text, never a formula.

A product or cooperative name is typed by a cashier or comes from an imported file; in a
CSV or XLSX opened by a spreadsheet program, a cell that starts with ``=`` (or ``+ - @``,
tab, carriage return) would run as a formula (CSV injection). Control characters that were
stored before the door refused them are dropped: XLSX cannot hold them.
"""

from __future__ import annotations

import csv
import re

from pos.core.requests import CONTROL_CHARACTERS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def clean_text(value):
    """``value`` without control characters; anything that is not a string as it is."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def csv_cell(value):
    """A CSV cell: text that a spreadsheet would read as a formula gets a leading quote."""
    value = clean_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def append_row(sheet, values: list) -> None:
    """Append to an openpyxl sheet with every string cell typed as text, never a formula."""
    sheet.append([clean_text(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


class CsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell``."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, values: list) -> None:
        self._writer.writerow([csv_cell(value) for value in values])
