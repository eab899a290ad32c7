"""The evening bulletin as a one-page PDF, in the current language."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from pos.core import labels
from pos.reports.document import ReportPDF


def bulletin_pdf(data: dict) -> bytes:
    pdf = ReportPDF(_("Evening bulletin"), labels.name_of(data["event"]))
    pdf.add_page()
    pdf.title_block(
        [
            labels.name_of(data["event"]),
            _("Day %(number)s, %(day)s", number=data["day_number"], day=labels.day(data["date"])),
        ]
    )
    if data["provisional"]:
        pdf.band(_("Provisional figures: not every day of the fair is closed yet."))
    pdf.key_figures(
        [
            (_("Net turnover so far"), labels.amount_with_currency(data["so_far"]["net"])),
            (_("Net turnover of the day"), labels.amount_with_currency(data["day"]["net"])),
            (_("Number of sales of the day"), labels.number(data["day"]["sales_count"])),
            (_("Exhibitors who sold"), labels.number(data["day"]["exhibitors_selling"])),
            (_("Number of sales so far"), labels.number(data["so_far"]["sales_count"])),
            (
                _("Final share of the net turnover (days closed)"),
                labels.share(data["coverage"]["final_share"]),
            ),
        ]
    )
    pdf.heading(_("Day by day"))
    previous = data["previous_edition"]
    header = [_("Day"), _("Net turnover"), ""]
    rows = [
        [labels.day(d["date"]), labels.amount(d["net"]), Decimal(d["net"])] for d in data["days"]
    ]
    widths: list[float] = [45, 40, 95]
    if previous:
        header = [_("Day"), _("Net turnover"), _("Previous edition"), ""]
        rows = [
            [
                labels.day(d["date"]),
                labels.amount(d["net"]),
                labels.amount(d["previous_net"] or "0"),
                Decimal(d["net"]),
            ]
            for d in data["days"]
        ]
        widths = [40, 35, 35, 70]
    top = max((Decimal(d["net"]) for d in data["days"]), default=Decimal(0))
    pdf.figures_table(
        header, rows, widths, numeric=set(range(1, len(header) - 1)), bars={len(header) - 1: top}
    )
    if previous:
        pdf.paragraph(
            _(
                "The previous edition (%(name)s) had %(amount)s after as many days.",
                name=labels.name_of(previous),
                amount=labels.amount_with_currency(previous["net_same_days"]),
            )
        )
    pdf.heading(_("By sector"))
    sectors = data["sectors"]
    top_sector = max((Decimal(s["net"]) for s in sectors), default=Decimal(0))
    pdf.figures_table(
        [_("Sector"), _("Net turnover"), ""],
        [[s["label"], labels.amount(s["net"]), Decimal(s["net"])] for s in sectors],
        [60, 40, 80],
        numeric={1},
        bars={2: top_sector},
    )
    cover = data["coverage"]
    pdf.heading(_("How complete these figures are"))
    pdf.paragraph(
        _("Sales waiting on phones")
        + _(": ")
        + labels.number(cover["sales_waiting_on_phones"])
        + " · "
        + _("Sales refused, to settle")
        + _(": ")
        + labels.number(cover["refused_sales"])
        + " · "
        + _("Booths with days not closed")
        + _(": ")
        + labels.number(len(cover["booths_with_days_open"]))
    )
    return bytes(pdf.output())
