"""The page layout of a report's PDF: titled pages, key figures, tables whose header comes
back on each page, totals rows, bars; right to left in Arabic (HarfBuzz shapes the text)."""

from __future__ import annotations

from collections.abc import Set
from decimal import Decimal

from flask_babel import gettext as _

from pos.core import labels
from pos.core.pdf import ShapedPDF

GREEN = (11, 110, 79)
PALE = (230, 240, 234)
AMBER = (255, 236, 179)


class ReportPDF(ShapedPDF):
    """A report's pages: its title and the fair on each, numbered "page of pages"."""

    def __init__(self, title: str, fair: str):
        super().__init__()
        self.report_title, self.fair = title, fair
        self.rtl = labels.current_language() == "ar"
        self.start = "R" if self.rtl else "L"
        self.end = "L" if self.rtl else "R"
        self.alias_nb_pages()
        self.set_auto_page_break(True, margin=16)
        self.set_title(f"{title} – {fair}")

    def header(self):
        self.set_font("Plex", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.fair} — {self.report_title}", align=self.start)
        self.ln(7)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-12)
        self.set_font("Plex", "", 8)
        self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")

    def title_block(self, lines: list[str]) -> None:
        """The document's title and what it covers, on its first page."""
        self.set_font("Plex", "B", 18)
        self.multi_cell(0, 10, self.report_title, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Plex", "", 10)
        for line in lines:
            self.multi_cell(0, 5.5, line, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def band(self, text: str) -> None:
        """A warning across the page (figures still provisional)."""
        self.set_fill_color(*AMBER)
        self.set_font("Plex", "B", 10)
        self.multi_cell(0, 7, text, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font("Plex", "B", 12)
        self.set_text_color(*GREEN)
        self.multi_cell(0, 7, text, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_font("Plex", "", 9)

    def paragraph(self, text: str) -> None:
        self.set_font("Plex", "", 9)
        self.multi_cell(0, 5, text, align=self.start, new_x="LMARGIN", new_y="NEXT")

    def key_figures(self, figures: list[tuple], columns: int = 3) -> None:
        """Figures in boxes, ``columns`` to a row: the label small, the value large, and
        an optional note under it (who the best exhibitor is)."""
        width = self.epw / columns
        for start in range(0, len(figures), columns):
            row = figures[start : start + columns]
            if self.rtl:
                row = list(reversed(row)) + [None] * (columns - len(row))
                row = row[-columns:]
            if self.get_y() > self.h - 35:
                self.add_page()
            y = self.get_y()
            for index, figure in enumerate(row):
                if figure is None:
                    continue
                x = self.l_margin + index * width
                self.set_fill_color(*PALE)
                self.rect(x + 1, y, width - 2, 20, style="F")
                self.set_xy(x + 3, y + 1.5)
                self.set_font("Plex", "", 7.5)
                self.cell(width - 6, 4, self.fit(figure[0], width - 6), align=self.start)
                self.set_xy(x + 3, y + 6.5)
                self.set_font("Plex", "B", 12)
                self.cell(width - 6, 7, self.fit(figure[1], width - 6), align=self.start)
                if len(figure) > 2 and figure[2]:
                    self.set_xy(x + 3, y + 14)
                    self.set_font("Plex", "", 7.5)
                    self.cell(width - 6, 4, self.fit(figure[2], width - 6), align=self.start)
            self.set_xy(self.l_margin, y + 22)
        self.set_font("Plex", "", 9)

    def fit(self, text, width: float) -> str:
        """``text`` cut at a word with an ellipsis when it is wider than ``width`` mm."""
        text = "" if text is None else str(text)
        if self.get_string_width(text) <= width - 1.5:
            return text
        words = text.split()
        while len(words) > 1 and self.get_string_width(" ".join(words) + " …") > width - 1.5:
            words.pop()
        shown = " ".join(words)
        while shown and self.get_string_width(shown + "…") > width - 1.5:
            shown = shown[:-1]
        return shown.rstrip() + "…"

    def _ordered(self, cells: list) -> list:
        return list(reversed(cells)) if self.rtl else list(cells)

    def figures_table(
        self,
        header: list[str],
        rows: list[list],
        widths: list[float],
        *,
        numeric: Set[int] = frozenset(),
        total: list | None = None,
        bars: dict[int, Decimal] | None = None,
    ) -> None:
        """Rows under their header, the header again on each new page, a totals row last.
        ``numeric`` columns are aligned to the end; ``bars``: {column: largest value}, drawn
        as a bar proportional to the cell's value (a Decimal) instead of text."""
        scale = self.epw / sum(widths)
        widths = [width * scale for width in widths]
        order = self._ordered(list(range(len(widths))))

        def line(cells, *, bold=False, border="", height=5.5):
            self.set_font("Plex", "B" if bold else "", 8)
            for index in order:
                width, value = widths[index], cells[index]
                if bars and index in bars and not isinstance(value, str):
                    self._bar(width, height, value, bars[index])
                    continue
                align = self.end if index in numeric else self.start
                self.cell(width, height, self.fit(value, width), border=border, align=align)
            self.ln()

        def header_row():
            line(header, bold=True, border="B", height=6)

        header_row()
        for row in rows:
            if self.get_y() > self.h - 22:
                self.add_page()
                header_row()
            line(row)
        if total is not None:
            line(total, bold=True, border="T", height=6)
        self.set_font("Plex", "", 9)

    def products_table(self, products: list[dict]) -> None:
        """What a booth sold: each product's names, quantity with its unit, and net."""
        self.figures_table(
            [_("Name in French"), _("Name in Arabic"), _("Quantity"), _("Net turnover")],
            [
                [
                    p["name"],
                    p["name_ar"],
                    labels.quantity(p["quantity"], p["unit"]),
                    labels.amount(p["net"]),
                ]
                for p in products
            ],
            [60, 60, 30, 30],
            numeric={2, 3},
        )

    def _bar(self, width: float, height: float, value, top) -> None:
        x, y = self.get_x(), self.get_y()
        if value is not None and top:
            length = max(0.3, (width - 2) * float(Decimal(value) / Decimal(top)))
            start = x + width - 1 - length if self.rtl else x + 1
            self.set_fill_color(*GREEN)
            self.rect(start, y + 1.2, length, height - 2.4, style="F")
        self.set_xy(x + width, y)
