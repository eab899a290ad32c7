"""The impact report and statements as CSV, XLSX (typed numbers, a sheet per breakdown)
and PDF (Arabic shaped and right to left through HarfBuzz, with bar charts)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from pos.core.pdf import ShapedPDF
from pos.reports.cells import CsvWriter, append_row

BREAKDOWNS = [
    ("by_legal_form", "Forme juridique / الشكل القانوني"),
    ("by_province", "Province / الإقليم"),
    ("by_sector", "Filière / القطاع"),
    ("by_day", "Jour / اليوم"),
    ("by_method", "Paiement / طريقة الأداء"),
    ("by_women_share", "Part des femmes / نسبة النساء"),
]
EXHIBITOR_COLUMNS = [
    ("booth", "Stand"),
    ("name", "Nom"),
    ("name_ar", "الاسم"),
    ("legal_form", "Forme"),
    ("province", "Province"),
    ("sector", "Filière"),
    ("members", "Membres"),
    ("women_members", "Femmes"),
    ("net", "Recette nette (MAD)"),
    ("sales_count", "Ventes"),
    ("avg_basket", "Panier moyen (MAD)"),
    ("items_sold", "Articles"),
]
MONEY_KEYS = {"net", "avg_basket", "gross", "voided", "amount"}


def impact_csv(report: dict) -> bytes:
    """One row per exhibitor, then the fair's totals; UTF-8 with BOM so Excel reads Arabic."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow([label for _, label in EXHIBITOR_COLUMNS])
    for row in report["exhibitors"]:
        writer.writerow([row[key] if row[key] is not None else "" for key, _ in EXHIBITOR_COLUMNS])
    totals = report["totals"]
    writer.writerow(
        [
            "TOTAL",
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
    sheet.title = "Exposants"
    sheet.sheet_view.rightToLeft = False
    append_row(sheet, [label for _, label in EXHIBITOR_COLUMNS])
    for row in report["exhibitors"]:
        append_row(sheet, [_typed(key, row[key]) for key, _ in EXHIBITOR_COLUMNS])
    _money_format(
        sheet, [i + 1 for i, (key, _) in enumerate(EXHIBITOR_COLUMNS) if key in MONEY_KEYS]
    )
    summary = book.create_sheet("Totaux")
    for key, value in report["totals"].items():
        append_row(
            summary,
            [key, _typed(key, value) if key in MONEY_KEYS or key.startswith("avg") else value],
        )
    for key, title in BREAKDOWNS:
        breakdown = book.create_sheet(title.split(" / ")[0][:31])
        append_row(breakdown, ["Clé", "Libellé", "Recette nette (MAD)", "Ventes"])
        for row in report[key]:
            append_row(
                breakdown, [str(row["key"]), row["label"], Decimal(row["net"]), row["sales_count"]]
            )
        _money_format(breakdown, [3])
    products = book.create_sheet("Produits")
    append_row(
        products, ["Produit", "المنتوج", "Unité", "Quantité", "Recette nette (MAD)", "Lignes"]
    )
    for row in report["top_products"]:
        append_row(
            products,
            [
                row["name"],
                row["name_ar"],
                row["unit"],
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
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _money_format(sheet, columns: list[int]) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "#,##0.00"


class ReportPDF(ShapedPDF):
    """A report's pages: its title on each, numbered."""

    def __init__(self, title: str):
        super().__init__()
        self.report_title = title
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
        self.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Plex", "", 10)

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
            self.cell(label_width, 6, str(row["label"])[:48])
            self.set_fill_color(11, 110, 79)
            self.rect(
                self.l_margin + label_width, y + 1, width * float(value / top) or 0.2, 4, style="F"
            )
            self.set_x(self.l_margin + label_width + width + 2)
            self.cell(30, 6, f"{row['net']}", align="R", new_x="LMARGIN", new_y="NEXT")

    def table(self, header: list[str], rows: list[list], widths: list[float]) -> None:
        self.set_font("Plex", "B", 8)
        for text, width in zip(header, widths, strict=True):
            self.cell(width, 6, text, border="B")
        self.ln()
        self.set_font("Plex", "", 8)
        for row in rows:
            if self.get_y() > self.h - 20:
                self.add_page()
            for value, width in zip(row, widths, strict=True):
                self.cell(width, 5.5, str(value if value is not None else "")[:40])
            self.ln()


def impact_pdf(report: dict) -> bytes:
    event = report["event"]
    pdf = ReportPDF(f"{event['name']} — {event['name_ar']}")
    pdf.add_page()
    totals = report["totals"]
    pdf.heading("Rapport d'impact économique — تقرير الأثر الاقتصادي")
    pdf.multi_cell(
        0, 6, f"Du {event['starts_on']} au {event['ends_on']}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.heading(f"Recette nette : {totals['net']} MAD — المداخيل الصافية")
    pdf.multi_cell(
        0,
        6,
        f"{totals['sales_count']} ventes, panier moyen {totals['avg_basket']} MAD,"
        f" {totals['exhibitors_selling']} exposants sur {totals['exhibitors']} "
        f"ont vendu (moyenne {totals['avg_net_per_exhibitor']} MAD par exposant)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    previous = report.get("previous_edition")
    if previous:
        pdf.multi_cell(
            0,
            6,
            f"Édition précédente ({previous['name']}) : {previous['net']} MAD "
            f"({previous['net_growth_percent']} %)",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    for key, title in BREAKDOWNS:
        pdf.heading(title)
        pdf.bars(report[key])
    pdf.heading("Produits les plus vendus — المنتوجات الأكثر مبيعا")
    pdf.table(
        ["Produit", "المنتوج", "Quantité", "MAD"],
        [[r["name"], r["name_ar"], r["quantity"], r["net"]] for r in report["top_products"]],
        [60, 60, 30, 30],
    )
    pdf.add_page()
    pdf.heading("Recette par exposant — المداخيل حسب العارض")
    pdf.table(
        ["Stand", "Exposant", "العارض", "Ventes", "MAD"],
        [
            [r["booth"], r["name"], r["name_ar"], r["sales_count"], r["net"]]
            for r in report["exhibitors"]
        ],
        [15, 70, 60, 15, 25],
    )
    return bytes(pdf.output())


def statement_pdf(statement: dict) -> bytes:
    exhibitor, event = statement["exhibitor"], statement["event"]
    pdf = ReportPDF(f"{event['name']} — {event['name_ar']}")
    pdf.add_page()
    pdf.heading(f"{exhibitor['name_ar']}")
    pdf.heading(f"{exhibitor['name']} — Stand {exhibitor['booth']}")
    totals = statement["totals"]
    pdf.multi_cell(
        0,
        6,
        f"Relevé des ventes — كشف المبيعات : {totals['net']} MAD nets, "
        f"{totals['sales_count']} ventes, {totals['voided_count']} annulées",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.heading("Par jour — حسب اليوم")
    pdf.table(
        ["Jour", "Ventes", "Annulées", "Brut", "Annulé", "Net"],
        [
            [d["date"], d["sales_count"], d["voided_count"], d["gross"], d["voided"], d["net"]]
            for d in statement["by_day"]
        ],
        [35, 25, 25, 35, 35, 35],
    )
    pdf.heading("Par produit — حسب المنتوج")
    pdf.table(
        ["Produit", "المنتوج", "Quantité", "Net"],
        [[p["name"], p["name_ar"], p["quantity"], p["net"]] for p in statement["by_product"]],
        [60, 60, 30, 30],
    )
    pdf.heading("Par moyen de paiement — حسب طريقة الأداء")
    pdf.table(
        ["Moyen", "Ventes", "Montant"],
        [[m["method"], m["sales_count"], m["amount"]] for m in statement["by_method"]],
        [60, 30, 40],
    )
    return bytes(pdf.output())
