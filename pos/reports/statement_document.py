"""A cooperative's statement of sales as PDF: per day, per product, per payment method."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from pos.core import labels
from pos.reports.document import ReportPDF


def statement_pdf(statement: dict) -> bytes:
    exhibitor, event = statement["exhibitor"], statement["event"]
    pdf = ReportPDF(_("Statement of sales"), labels.name_of(event))
    pdf.add_page()
    pdf.title_block(
        [
            exhibitor["name_ar"],
            f"{exhibitor['name']} — {_('Booth')} {exhibitor['booth']}",
            labels.name_of(event),
        ]
    )
    totals = statement["totals"]
    pdf.paragraph(
        _("Net turnover: %(amount)s", amount=labels.amount_with_currency(totals["net"]))
        + " · "
        + ngettext("%(num)s sale", "%(num)s sales", totals["sales_count"])
        + " · "
        + ngettext("%(num)s voided", "%(num)s voided", totals["voided_count"])
    )
    pdf.heading(_("By day"))
    pdf.figures_table(
        [
            _("Day"),
            _("Number of sales"),
            _("Voided"),
            _("Gross sales"),
            _("Voided amount"),
            _("Net turnover"),
        ],
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
        numeric={1, 2, 3, 4, 5},
    )
    pdf.heading(_("By product"))
    pdf.products_table(statement["by_product"])
    pdf.heading(_("By payment method"))
    pdf.figures_table(
        [_("Payment method"), _("Number of sales"), _("Amount")],
        [
            [
                labels.method(m["method"]),
                labels.number(m["sales_count"]),
                labels.amount(m["amount"]),
            ]
            for m in statement["by_method"]
        ],
        [60, 30, 40],
        numeric={1, 2},
    )
    if statement["stock"]:
        pdf.heading(_("What was left unsold"))
        pdf.figures_table(
            [_("Name"), _("Quantity brought"), _("Sold"), _("Left")],
            [
                [
                    labels.name_of(row),
                    labels.quantity(row["brought"], row["unit"]),
                    labels.quantity(row["sold"], row["unit"]),
                    labels.quantity(row["left"], row["unit"]),
                ]
                for row in statement["stock"]
            ],
            [70, 35, 35, 35],
            numeric={1, 2, 3},
        )
    if statement["orders"]:
        pdf.heading(_("Orders to deliver"))
        pdf.figures_table(
            [_("Delivery date"), _("Buyer"), _("What"), _("Total"), _("Deposit")],
            [
                [
                    labels.day(order["delivery_date"]),
                    f"{order['buyer_name']} · {order['buyer_phone']}",
                    ", ".join(
                        f"{labels.name_of(line)} {labels.quantity(line['quantity'], line['unit'])}"
                        for line in order["lines"]
                    ),
                    labels.amount(order["total"]),
                    labels.amount(order["deposit"]),
                ]
                for order in statement["orders"]
            ],
            [26, 62, 45, 22, 22],
            numeric={3, 4},
        )
    if statement["contacts"]:
        pdf.heading(_("Business contacts"))
        pdf.figures_table(
            [_("Who"), _("Name"), _("Phone"), _("What interests them")],
            [
                [
                    labels.contact_kind(contact["kind"]),
                    contact["name"],
                    contact["phone"] or "",
                    contact["interest"] or "",
                ]
                for contact in statement["contacts"]
            ],
            [28, 45, 35, 69],
        )
    return bytes(pdf.output())
