"""The impact report as CSV (sections) and XLSX (typed numbers, a sheet per table), its
words in the report's language."""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pos.core import labels
from pos.core.messages import N_
from pos.reports.cells import CsvWriter, append_row

BREAKDOWNS = [
    ("by_legal_form", N_("Legal form")),
    ("by_province", N_("Province")),
    ("by_sector", N_("Sector")),
    ("by_day", N_("Day")),
    ("by_hour", N_("Hour")),
    ("by_method", N_("Payment")),
    ("by_women_share", N_("Share of women members")),
]
# Orders and contacts counted by these groups of booths.
ORDER_GROUPS = [("by_sector", N_("Sector")), ("by_province", N_("Province"))]
EXHIBITOR_COLUMNS = [
    ("booth", N_("Booth")),
    ("name", N_("Name in French")),
    ("name_ar", N_("Name in Arabic")),
    ("legal_form", N_("Legal form")),
    ("province", N_("Province")),
    ("sector", N_("Sector")),
    ("members", N_("Members")),
    ("women_members", N_("Women members")),
    ("net", N_("Net turnover")),
    ("sales_count", N_("Number of sales")),
    ("avg_basket", N_("Average basket")),
    ("items_sold", N_("Items sold")),
    ("vat_collected", N_("VAT collected")),
]
MONEY_KEYS = {"net", "avg_basket", "gross", "voided", "amount", "vat_collected"}
# Stored keys shown in the report's language.
SHOWN = {"legal_form": labels.legal_form, "province": labels.province, "sector": labels.sector}


def _header(key: str, title: str) -> str:
    """A column's title; an amount's says its currency."""
    return f"{_(title)} ({labels.currency()})" if key in MONEY_KEYS else _(title)


def _shown(key: str, value):
    if value is None:
        return ""
    return SHOWN[key](value) if key in SHOWN else value


def indicator_rows(report: dict) -> list[tuple[str, object]]:
    """The headline indicators as (label, typed value): amounts and percentages as
    Decimals, counts as integers."""
    figures, totals = report["indicators"], report["totals"]
    per_exhibitor, best = figures["net_per_exhibitor"], figures["best_exhibitor"]

    def share(value):
        return None if value is None else Decimal(value)

    rows = [
        (_header("net", N_("Net turnover")), Decimal(totals["net"])),
        (_("Number of sales"), totals["sales_count"]),
        (_header("net", N_("Average basket")), Decimal(totals["avg_basket"])),
        (_("Exhibitors"), figures["exhibitors"]),
        (_("Cooperatives"), figures["cooperatives"]),
        (_("Exhibitors who sold"), totals["exhibitors_selling"]),
        (_header("net", N_("Sales per exhibitor, mean")), Decimal(per_exhibitor["mean"])),
        (_header("net", N_("Sales per exhibitor, median")), Decimal(per_exhibitor["median"])),
    ]
    rows += [
        (
            _header("net", N_("Sales per exhibitor, decile %(number)s")) % {"number": index},
            Decimal(v),
        )
        for index, v in enumerate(per_exhibitor["deciles"], start=1)
    ]
    rows += [
        (_("Exhibitors above 100,000 DH"), figures["exhibitors_above_100000"]),
        (_("Exhibitors above 100,000 DH (per cent)"), share(figures["share_above_100000"])),
        (_("Best exhibitor"), "" if best is None else f"{best['booth']} {labels.name_of(best)}"),
        (
            _header("net", N_("Best exhibitor's sales")),
            None if best is None else Decimal(best["net"]),
        ),
        (_("Women among members (per cent)"), share(figures["women_members_share"])),
        (_("Paid in cash (per cent)"), share(figures["cash_share"])),
        (_("Provisional figures"), _("yes") if figures["provisional"] else _("no")),
    ]
    return rows


def impact_csv(report: dict) -> bytes:
    """The exhibitors' table first (one row each, then the fair's total), then a section
    for the indicators and for each breakdown; UTF-8 with BOM so Excel reads Arabic."""
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
            totals["vat_collected"],
        ]
    )
    writer.writerow([])
    writer.writerow([_("Key figures")])
    for label, value in indicator_rows(report):
        writer.writerow([label, "" if value is None else value])
    for key, title in BREAKDOWNS:
        writer.writerow([])
        writer.writerow([_(title)])
        writer.writerow(
            [_("Key"), _(title), _header("net", N_("Net turnover")), _("Number of sales")]
        )
        for row in report[key]:
            writer.writerow([row["key"], row["label"], row["net"], row["sales_count"]])
        writer.writerow(["", _("Total"), *_breakdown_total(report[key])])
    writer.writerow([])
    writer.writerow([_("Orders and contacts")])
    for row in orders_and_contacts_rows(report):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def orders_and_contacts_rows(report: dict) -> list[list]:
    """The fair's orders and contacts, then a table of them by each group of booths: rows
    for the CSV's section and the workbook's sheet alike."""
    leads = report["orders_and_contacts"]
    rows: list[list] = [
        [_("Orders"), leads["orders"]],
        [_("Value of the orders"), Decimal(leads["orders_value"])],
        [_("Business contacts"), leads["contacts"]],
    ]
    for key, title in ORDER_GROUPS:
        rows.append([])
        rows.append([_("Key"), _(title), _("Orders"), _("Value"), _("Contacts")])
        rows.extend(
            [row["key"], row["label"], row["orders"], Decimal(row["orders_value"]), row["contacts"]]
            for row in leads[key]
        )
    return rows


def _breakdown_total(rows: list[dict]) -> list:
    return [
        str(sum((Decimal(row["net"]) for row in rows), Decimal("0.00"))),
        sum(row["sales_count"] for row in rows),
    ]


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
    key_figures = book.create_sheet(_sheet_name(_("Key figures")))
    append_row(key_figures, [_("Indicator"), _("Value")])
    for label, value in indicator_rows(report):
        append_row(key_figures, [label, value])
    for key, title in BREAKDOWNS:
        breakdown = book.create_sheet(_sheet_name(_(title)))
        append_row(
            breakdown,
            [_("Key"), _(title), _header("net", N_("Net turnover")), _("Number of sales")],
        )
        for row in report[key]:
            append_row(
                breakdown, [str(row["key"]), row["label"], Decimal(row["net"]), row["sales_count"]]
            )
        net, count = _breakdown_total(report[key])
        append_row(breakdown, ["", _("Total"), Decimal(net), count])
        breakdown.cell(row=breakdown.max_row, column=2).font = Font(bold=True)
        _money_format(breakdown, [3])
    products = book.create_sheet(_sheet_name(_("Products")))
    append_row(
        products,
        [
            _("Name in French"),
            _("Name in Arabic"),
            _("Booth"),
            _("Exhibitor"),
            _("Unit"),
            _("Quantity"),
            _header("net", N_("Net turnover")),
            _("Lines"),
        ],
    )
    for row in report["top_products"]:
        append_row(
            products,
            [
                row["name"],
                row["name_ar"],
                row["booth"],
                labels.name_of(row, "exhibitor_name"),
                labels.unit(row["unit"]),
                Decimal(row["quantity"]),
                Decimal(row["net"]),
                row["lines"],
            ],
        )
    _money_format(products, [7])
    leads = book.create_sheet(_sheet_name(_("Orders and contacts")))
    for row in orders_and_contacts_rows(report):
        append_row(leads, row)
        for cell in leads[leads.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for worksheet in book.worksheets:
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        worksheet.sheet_view.rightToLeft = sheet.sheet_view.rightToLeft
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TOTAL_NAMES = {
    "net": N_("Net turnover"),
    "gross": N_("Gross sales"),
    "voided": N_("Voided"),
    "sales_count": N_("Number of sales"),
    "exhibitors": N_("Exhibitors"),
    "exhibitors_selling": N_("Exhibitors who sold"),
    "avg_basket": N_("Average basket"),
    "avg_net_per_exhibitor": N_("Average net turnover per exhibitor"),
    "vat_collected": N_("VAT collected"),
}


def _sheet_name(name: str) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\
    return "".join(char for char in name if char not in "[]:*?/\\")[:31]


def _money_format(sheet, columns: list[int]) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "#,##0.00"
