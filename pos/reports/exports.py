"""The impact report and statements as CSV, XLSX (typed numbers, a sheet per breakdown)
and PDF (Arabic shaped and right to left through HarfBuzz, with bar charts)."""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from openpyxl import Workbook
from openpyxl.styles import Font

from pos.core import labels
from pos.core.messages import N_
from pos.core.pdf import ShapedPDF
from pos.reports.cells import CsvWriter, append_row

BREAKDOWNS = [
    ("by_legal_form", N_("Legal form")),
    ("by_province", N_("Province")),
    ("by_sector", N_("Sector")),
    ("by_day", N_("Day")),
    ("by_method", N_("Payment")),
    ("by_women_share", N_("Share of women members")),
]
EXHIBITOR_COLUMNS = [
    ("booth", N_("Booth")),
    ("name", N_("Name in French")),
    ("name_ar", N_("Name in Arabic")),
    ("legal_form", N_("Legal form")),
    ("province", N_("Province")),
    ("sector", N_("Sector")),
    ("members", N_("Members")),
    ("women_members", N_("Women members")),
    ("net", N_("Net income")),
    ("sales_count", N_("Sales")),
    ("avg_basket", N_("Average basket")),
    ("items_sold", N_("Items sold")),
]
MONEY_KEYS = {"net", "avg_basket", "gross", "voided", "amount"}
# Stored keys shown in the report's language.
SHOWN = {"legal_form": labels.legal_form, "province": labels.province, "sector": labels.sector}


def _header(key: str, title: str) -> str:
    """A column's title; an amount's says its currency."""
    return f"{_(title)} ({labels.currency()})" if key in MONEY_KEYS else _(title)


def _shown(key: str, value):
    if value is None:
        return ""
    return SHOWN[key](value) if key in SHOWN else value


def impact_csv(report: dict) -> bytes:
    """One row per exhibitor, then the fair's totals; UTF-8 with BOM so Excel reads Arabic."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow([_header(key, title) for key, title in EXHIBITOR_COLUMNS])
    for row in report["exhibitors"]:
        writer.writerow([_shown(key, row[key]) for key, _title in EXHIBITOR_COLUMNS])
    totals = report["totals"]
    writer.writerow(
        [
            _("TOTAL"),
            report["event"]["name"],
            report["event"]["name_ar"],
            "",
            "",
            "",
            "",
            "",
            totals["net"],
            totals["sales_count"],
            totals["avg_basket"],
            "",
        ]
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _typed(key: str, value):
    if value is None:
        return None
    if key in MONEY_KEYS:
        return Decimal(value)
    return value


def impact_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_name(_("Exhibitors"))
    sheet.sheet_view.rightToLeft = labels.current_language() == "ar"
    append_row(sheet, [_header(key, title) for key, title in EXHIBITOR_COLUMNS])
    for row in report["exhibitors"]:
        append_row(
            sheet,
            [
                _typed(key, row[key]) if key not in SHOWN else _shown(key, row[key])
                for key, _title in EXHIBITOR_COLUMNS
            ],
        )
    _money_format(
        sheet, [i + 1 for i, (key, _title) in enumerate(EXHIBITOR_COLUMNS) if key in MONEY_KEYS]
    )
    summary = book.create_sheet(_sheet_name(_("Totals")))
    for key, value in report["totals"].items():
        append_row(
            summary,
            [
                _(TOTAL_NAMES.get(key, key)),
                _typed(key, value) if key in MONEY_KEYS or key.startswith("avg") else value,
            ],
        )
    for key, title in BREAKDOWNS:
        breakdown = book.create_sheet(_sheet_name(_(title)))
        append_row(breakdown, [_("Key"), _(title), _header("net", "Net income"), _("Sales")])
        for row in report[key]:
            append_row(
                breakdown, [str(row["key"]), row["label"], Decimal(row["net"]), row["sales_count"]]
            )
        _money_format(breakdown, [3])
    products = book.create_sheet(_sheet_name(_("Products")))
    append_row(
        products,
        [
            _("Name in French"),
            _("Name in Arabic"),
            _("Unit"),
            _("Quantity"),
            _header("net", "Net income"),
            _("Lines"),
        ],
    )
    for row in report["top_products"]:
        append_row(
            products,
            [
                row["name"],
                row["name_ar"],
                labels.unit(row["unit"]),
                Decimal(row["quantity"]),
                Decimal(row["net"]),
                row["lines"],
            ],
        )
    _money_format(products, [5])
    for worksheet in book.worksheets:
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        worksheet.sheet_view.rightToLeft = sheet.sheet_view.rightToLeft
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TOTAL_NAMES = {
    "net": N_("Net income"),
    "gross": N_("Gross sales"),
    "voided": N_("Voided"),
    "sales_count": N_("Sales"),
    "exhibitors": N_("Exhibitors"),
    "exhibitors_selling": N_("Exhibitors who sold"),
    "avg_basket": N_("Average basket"),
    "avg_net_per_exhibitor": N_("Average income per exhibitor"),
}


def _sheet_name(name: str) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\
    return "".join(char for char in name if char not in "[]:*?/\\")[:31]


def _money_format(sheet, columns: list[int]) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "#,##0.00"


class ReportPDF(ShapedPDF):
    """A report's pages: its title on each, numbered; right to left in Arabic."""

    def __init__(self, title: str):
        super().__init__()
        self.report_title = title
        self.rtl = labels.current_language() == "ar"
        self.start = "R" if self.rtl else "L"
        self.set_auto_page_break(True, margin=15)

    def header(self):
        self.set_font("Plex", "B", 10)
        self.cell(0, 8, self.report_title, align="C", new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.set_font("Plex", "", 8)
        self.cell(0, 6, f"{self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Plex", "B", 13)
        self.multi_cell(0, 8, text, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Plex", "", 10)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 6, text, align=self.start, new_x="LMARGIN", new_y="NEXT")

    def fit(self, text: str, width: float) -> str:
        """``text`` cut at a word with an ellipsis when it is wider than ``width`` mm."""
        text = str(text)
        if self.get_string_width(text) <= width - 1:
            return text
        words = text.split()
        while len(words) > 1 and self.get_string_width(" ".join(words) + " …") > width - 1:
            words.pop()
        shown = " ".join(words)
        while shown and self.get_string_width(shown + "…") > width - 1:
            shown = shown[:-1]
        return shown + "…"

    def _ordered(self, cells: list) -> list:
        return list(reversed(cells)) if self.rtl else list(cells)

    def bars(self, rows: list[dict], label_width: float = 70) -> None:
        """A horizontal bar chart of net income: the label, the bar, the amount."""
        values = [Decimal(row["net"]) for row in rows]
        top = max(values, default=Decimal(0)) or Decimal(1)
        width = self.epw - label_width - 32
        self.set_font("Plex", "", 9)
        for row, value in zip(rows, values, strict=True):
            if self.get_y() > self.h - 25:
                self.add_page()
            y = self.get_y()
            length = width * float(value / top) or 0.2
            label = self.fit(row["label"], label_width)
            amount = labels.amount(row["net"])
            self.set_fill_color(11, 110, 79)
            if self.rtl:
                self.cell(30, 6, amount, align="L")
                self.rect(self.l_margin + 32 + width - length, y + 1, length, 4, style="F")
                self.set_x(self.l_margin + 32 + width)
                self.cell(label_width, 6, label, align="R", new_x="LMARGIN", new_y="NEXT")
            else:
                self.cell(label_width, 6, label)
                self.rect(self.l_margin + label_width, y + 1, length, 4, style="F")
                self.set_x(self.l_margin + label_width + width + 2)
                self.cell(30, 6, amount, align="R", new_x="LMARGIN", new_y="NEXT")

    def table(self, header: list[str], rows: list[list], widths: list[float]) -> None:
        """Rows under their header, the header again on each new page."""
        header, widths = self._ordered(header), self._ordered(widths)

        def header_row():
            self.set_font("Plex", "B", 8)
            for text, width in zip(header, widths, strict=True):
                self.cell(width, 6, self.fit(text, width), border="B", align=self.start)
            self.ln()
            self.set_font("Plex", "", 8)

        header_row()
        for row in rows:
            if self.get_y() > self.h - 20:
                self.add_page()
                header_row()
            for value, width in zip(self._ordered(row), widths, strict=True):
                shown = "" if value is None else value
                self.cell(width, 5.5, self.fit(shown, width), align=self.start)
            self.ln()


def impact_pdf(report: dict) -> bytes:
    event = report["event"]
    pdf = ReportPDF(f"{event['name']} — {event['name_ar']}")
    pdf.add_page()
    totals = report["totals"]
    pdf.heading(_("Economic impact report"))
    pdf.paragraph(
        _(
            "From %(starts)s to %(ends)s",
            starts=labels.day(event["starts_on"]),
            ends=labels.day(event["ends_on"]),
        )
    )
    pdf.heading(_("Net income: %(amount)s", amount=labels.amount_with_currency(totals["net"])))
    pdf.paragraph(
        ngettext("%(num)s sale", "%(num)s sales", totals["sales_count"])
        + " · "
        + _("average basket %(amount)s", amount=labels.amount_with_currency(totals["avg_basket"]))
        + " · "
        + ngettext(
            "%(num)s exhibitor of %(total)s sold",
            "%(num)s exhibitors of %(total)s sold",
            totals["exhibitors_selling"],
            total=totals["exhibitors"],
        )
        + " · "
        + _(
            "%(amount)s per exhibitor on average",
            amount=labels.amount_with_currency(totals["avg_net_per_exhibitor"]),
        )
    )
    previous = report.get("previous_edition")
    if previous:
        pdf.paragraph(
            _(
                "Previous edition (%(name)s): %(amount)s (%(growth)s %%)",
                name=previous["name"],
                amount=labels.amount_with_currency(previous["net"]),
                growth=previous["net_growth_percent"],
            )
        )
    for key, title in BREAKDOWNS:
        pdf.heading(_(title))
        pdf.bars(report[key])
    pdf.heading(_("Best-selling products"))
    pdf.table(
        [_("Name in French"), _("Name in Arabic"), _("Quantity"), labels.currency()],
        [
            [
                r["name"],
                r["name_ar"],
                labels.quantity(r["quantity"], r["unit"]),
                labels.amount(r["net"]),
            ]
            for r in report["top_products"]
        ],
        [60, 60, 30, 30],
    )
    pdf.add_page()
    pdf.heading(_("Income per exhibitor"))
    pdf.table(
        [_("Booth"), _("Name in French"), _("Name in Arabic"), _("Sales"), labels.currency()],
        [
            [
                r["booth"],
                r["name"],
                r["name_ar"],
                labels.number(r["sales_count"]),
                labels.amount(r["net"]),
            ]
            for r in report["exhibitors"]
        ],
        [15, 70, 60, 15, 25],
    )
    return bytes(pdf.output())


def statement_pdf(statement: dict) -> bytes:
    exhibitor, event = statement["exhibitor"], statement["event"]
    pdf = ReportPDF(f"{event['name']} — {event['name_ar']}")
    pdf.add_page()
    pdf.heading(exhibitor["name_ar"])
    pdf.heading(f"{exhibitor['name']} — {_('Booth')} {exhibitor['booth']}")
    totals = statement["totals"]
    pdf.heading(_("Statement of sales"))
    pdf.paragraph(
        _("Net income: %(amount)s", amount=labels.amount_with_currency(totals["net"]))
        + " · "
        + ngettext("%(num)s sale", "%(num)s sales", totals["sales_count"])
        + " · "
        + ngettext("%(num)s voided", "%(num)s voided", totals["voided_count"])
    )
    pdf.heading(_("By day"))
    pdf.table(
        [_("Day"), _("Sales"), _("Voided"), _("Gross sales"), _("Voided amount"), _("Net income")],
        [
            [
                labels.day(d["date"]),
                labels.number(d["sales_count"]),
                labels.number(d["voided_count"]),
                labels.amount(d["gross"]),
                labels.amount(d["voided"]),
                labels.amount(d["net"]),
            ]
            for d in statement["by_day"]
        ],
        [35, 25, 25, 35, 35, 35],
    )
    pdf.heading(_("By product"))
    pdf.table(
        [_("Name in French"), _("Name in Arabic"), _("Quantity"), _("Net income")],
        [
            [
                p["name"],
                p["name_ar"],
                labels.quantity(p["quantity"], p["unit"]),
                labels.amount(p["net"]),
            ]
            for p in statement["by_product"]
        ],
        [60, 60, 30, 30],
    )
    pdf.heading(_("By payment method"))
    pdf.table(
        [_("Payment method"), _("Sales"), _("Amount")],
        [
            [
                labels.method(m["method"]),
                labels.number(m["sales_count"]),
                labels.amount(m["amount"]),
            ]
            for m in statement["by_method"]
        ],
        [60, 30, 40],
    )
    return bytes(pdf.output())
