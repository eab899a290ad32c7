"""A fair day's report as CSV, XLSX and PDF: each booth's sales, voids and income that day,
the payment methods, and the fair's totals; its words in the report's language."""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pos.core import labels
from pos.core.messages import N_
from pos.reports.cells import CsvWriter, append_row
from pos.reports.document import ReportPDF

COLUMNS = [  # key, title, an amount?
    ("booth", N_("Booth"), False),
    ("name", N_("Name in French"), False),
    ("name_ar", N_("Name in Arabic"), False),
    ("sales_count", N_("Number of sales"), False),
    ("voided_count", N_("Voided"), False),
    ("gross", N_("Gross sales"), True),
    ("voided", N_("Voided amount"), True),
    ("net", N_("Net turnover"), True),
]


def _methods(report: dict) -> list[str]:
    """The payment methods used that day, in the order of the fair's list."""
    used = report["totals"]["by_method"]
    return [method for method in labels.PAYMENT_METHODS if method in used]


def _header(report: dict) -> list[str]:
    currency = labels.currency()
    titles = [f"{_(title)} ({currency})" if money else _(title) for _k, title, money in COLUMNS]
    return titles + [f"{labels.method(method)} ({currency})" for method in _methods(report)]


def _rows(report: dict, typed) -> list[list]:
    methods = _methods(report)
    rows = []
    for row in report["exhibitors"]:
        cells = [typed(row[key]) if money else row[key] for key, _t, money in COLUMNS]
        cells += [typed(row["by_method"].get(method, "0.00")) for method in methods]
        rows.append(cells)
    return rows


def _total(report: dict, typed) -> list:
    totals = report["totals"]
    cells = [_("TOTAL"), "", ""]
    cells += [typed(totals[key]) if money else totals[key] for key, _t, money in COLUMNS[3:]]
    return cells + [typed(totals["by_method"][method]) for method in _methods(report)]


def daily_csv(report: dict) -> bytes:
    """One row per booth, then the fair's total; UTF-8 with BOM so Excel reads Arabic."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(_header(report))
    for row in _rows(report, str):
        writer.writerow(row)
    writer.writerow(_total(report, str))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def daily_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = report["date"]
    sheet.sheet_view.rightToLeft = labels.current_language() == "ar"
    append_row(sheet, _header(report))
    for row in _rows(report, Decimal):
        append_row(sheet, row)
    append_row(sheet, _total(report, Decimal))
    money_columns = [i + 1 for i, (_k, _t, money) in enumerate(COLUMNS) if money]
    money_columns += range(len(COLUMNS) + 1, len(COLUMNS) + len(_methods(report)) + 1)
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "#,##0.00"
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def daily_pdf(report: dict, event: dict) -> bytes:
    totals = report["totals"]
    pdf = ReportPDF(_("Daily report"), labels.name_of(event))
    pdf.add_page()
    pdf.title_block([labels.name_of(event), labels.day(report["date"])])
    pdf.key_figures(
        [
            (_("Net turnover"), labels.amount_with_currency(totals["net"])),
            (_("Number of sales"), labels.number(totals["sales_count"])),
            (_("Average basket"), labels.amount_with_currency(totals["avg_basket"])),
            (_("Voided"), labels.number(totals["voided_count"])),
            (_("Voided amount"), labels.amount_with_currency(totals["voided"])),
        ]
    )
    pdf.heading(_("By payment method"))
    pdf.figures_table(
        [_("Payment method"), labels.currency()],
        [
            [labels.method(method), labels.amount(totals["by_method"][method])]
            for method in _methods(report)
        ],
        [60, 30],
        numeric={1},
    )
    pdf.heading(_("Per booth"))
    pdf.figures_table(
        [
            _("Booth"),
            _("Exhibitor"),
            _("Number of sales"),
            _("Voided"),
            _("Gross sales"),
            _("Net turnover"),
        ],
        [
            [
                row["booth"],
                labels.name_of(row),
                labels.number(row["sales_count"]),
                labels.number(row["voided_count"]),
                labels.amount(row["gross"]),
                labels.amount(row["net"]),
            ]
            for row in report["exhibitors"]
        ],
        [12, 60, 14, 14, 22, 22],
        numeric={2, 3, 4, 5},
        total=[
            "",
            _("Total"),
            labels.number(totals["sales_count"]),
            labels.number(totals["voided_count"]),
            labels.amount(totals["gross"]),
            labels.amount(totals["net"]),
        ],
    )
    return bytes(pdf.output())
