"""The economic-impact report as a document for a regional council: title, fair, dates and
when it was made, "provisional" until every day is closed; the headline indicators such
reports publish; breakdowns with totals; best-selling products with their exhibitor; the
previous edition side by side; income per exhibitor. In the report's language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from pos.core import labels
from pos.core.messages import N_
from pos.core.money import format_money, parse_money
from pos.reports.document import ReportPDF
from pos.reports.indicators import percent

BREAKDOWN_TITLES = [  # key, title, the name of what its rows are
    ("by_method", N_("By payment method"), N_("Payment method")),
    ("by_legal_form", N_("By legal form"), N_("Legal form")),
    ("by_province", N_("By province"), N_("Province")),
    ("by_sector", N_("By sector"), N_("Sector")),
    ("by_day", N_("By day"), N_("Day")),
    ("by_hour", N_("By hour"), N_("Hour")),
    ("by_women_share", N_("By share of women members"), N_("Share of women members")),
]


def _share(part: str, whole: str) -> str:
    return labels.share(percent(parse_money(part), parse_money(whole)))


def impact_pdf(report: dict) -> bytes:
    event, totals, figures = report["event"], report["totals"], report["indicators"]
    pdf = ReportPDF(_("Economic impact report"), labels.name_of(event))
    pdf.add_page()
    generated = datetime.fromisoformat(report["generated_at"]).astimezone(
        ZoneInfo(event["timezone"])
    )
    pdf.title_block(
        [
            labels.name_of(event),
            _(
                "From %(starts)s to %(ends)s",
                starts=labels.day(event["starts_on"]),
                ends=labels.day(event["ends_on"]),
            ),
            _(
                "Generated on %(day)s at %(time)s",
                day=labels.day(generated.date()),
                time=generated.strftime("%H:%M"),
            ),
        ]
    )
    if figures["provisional"]:
        pdf.band(_("Provisional figures: not every day of the fair is closed yet."))
    _key_figures(pdf, totals, figures)
    _coverage(pdf, report["coverage"])
    _deciles(pdf, figures)
    if report.get("previous_edition"):
        _previous_edition(pdf, report)
    # A sale paid two ways is in two rows of the payment methods: totals count it once.
    for key, title, rows_are in BREAKDOWN_TITLES:
        pdf.heading(_(title))
        _breakdown(pdf, report[key], _(rows_are), totals)
    _top_products(pdf, report["top_products"])
    _orders_and_contacts(pdf, report["orders_and_contacts"])
    _exhibitors(pdf, report["exhibitors"], totals)
    return bytes(pdf.output())


def _orders_and_contacts(pdf: ReportPDF, leads: dict) -> None:
    """Beyond the sales: orders to deliver after the fair and contacts, by sector and
    province."""
    pdf.heading(_("Orders and contacts"))
    pdf.paragraph(
        _(
            "Orders are to be delivered after the fair: their value is not in the net "
            "turnover, their deposits are."
        )
    )
    pdf.key_figures(
        [
            (_("Orders"), labels.number(leads["orders"])),
            (_("Value of the orders"), labels.amount_with_currency(leads["orders_value"])),
            (_("Business contacts"), labels.number(leads["contacts"])),
        ]
    )
    for key, title in (("by_sector", _("By sector")), ("by_province", _("By province"))):
        if not leads[key]:
            continue
        pdf.figures_table(
            [title, _("Orders"), _("Value"), _("Contacts")],
            [
                [
                    row["label"],
                    labels.number(row["orders"]),
                    labels.amount(row["orders_value"]),
                    labels.number(row["contacts"]),
                ]
                for row in leads[key]
            ],
            [70, 30, 45, 30],
            numeric={1, 2, 3},
        )


def _coverage(pdf: ReportPDF, cover: dict) -> None:
    """How complete the figures are: what the council can defend, and what may still come."""
    pdf.heading(_("How complete these figures are"))
    pdf.key_figures(
        [
            (
                _("Final share of the net turnover (days closed)"),
                labels.share(cover["final_share"]),
            ),
            (_("Sales waiting on phones"), labels.number(cover["sales_waiting_on_phones"])),
            (_("Sales refused, to settle"), labels.number(cover["refused_sales"])),
            (_("Booths with days not closed"), labels.number(len(cover["booths_with_days_open"]))),
        ],
        columns=4,
    )


def _key_figures(pdf: ReportPDF, totals: dict, figures: dict) -> None:
    per_exhibitor = figures["net_per_exhibitor"]
    best = figures["best_exhibitor"]
    above = figures["exhibitors_above_100000"]
    pdf.heading(_("Key figures"))
    pdf.key_figures(
        [
            (_("Net turnover"), labels.amount_with_currency(totals["net"])),
            (_("Number of sales"), labels.number(totals["sales_count"])),
            (_("Average basket"), labels.amount_with_currency(totals["avg_basket"])),
            (
                _("Exhibitors"),
                # Worded so that no noun agrees with the second count.
                _(
                    "%(num)s, cooperatives among them: %(cooperatives)s",
                    num=labels.number(figures["exhibitors"]),
                    cooperatives=labels.number(figures["cooperatives"]),
                ),
            ),
            (_("Exhibitors who sold"), labels.number(totals["exhibitors_selling"])),
            (
                _("Sales per exhibitor, mean"),
                labels.amount_with_currency(per_exhibitor["mean"]),
            ),
            (
                _("Sales per exhibitor, median"),
                labels.amount_with_currency(per_exhibitor["median"]),
            ),
            (
                _("Exhibitors above 100,000 DH"),
                f"{labels.number(above)} ({labels.share(figures['share_above_100000'])})",
            ),
            (
                _("Best exhibitor"),
                "—" if best is None else labels.amount_with_currency(best["net"]),
                "" if best is None else f"{best['booth']} · {labels.name_of(best)}",
            ),
            (_("Women among members"), labels.share(figures["women_members_share"])),
            (_("Paid in cash"), labels.share(figures["cash_share"])),
        ]
    )


def _deciles(pdf: ReportPDF, figures: dict) -> None:
    pdf.heading(_("Sales per exhibitor: deciles"))
    pdf.paragraph(
        _(
            "A tenth of the exhibitors sold less than the first decile, "
            "nine tenths less than the ninth."
        )
    )
    deciles = figures["net_per_exhibitor"]["deciles"]
    pdf.figures_table(
        [_("D%(number)s", number=index) for index in range(1, 10)],
        [[labels.amount(value) for value in deciles]],
        [1] * 9,
        numeric=set(range(9)),
    )


def _previous_edition(pdf: ReportPDF, report: dict) -> None:
    previous, totals = report["previous_edition"], report["totals"]
    pdf.heading(_("Compared with the previous edition"))
    this_name = labels.name_of(report["event"])
    before_name = labels.name_of(previous)

    def change(value):
        return "—" if value is None else value[0] + labels.share(value[1:])

    pdf.figures_table(
        ["", this_name, before_name, _("Change")],
        [
            [
                _("Net turnover"),
                labels.amount(totals["net"]),
                labels.amount(previous["net"]),
                change(previous["net_growth_percent"]),
            ],
            [
                _("Number of sales"),
                labels.number(totals["sales_count"]),
                labels.number(previous["sales_count"]),
                change(previous["sales_growth_percent"]),
            ],
            [
                _("Exhibitors"),
                labels.number(totals["exhibitors"]),
                labels.number(previous["exhibitors"]),
                change(previous["exhibitors_growth_percent"]),
            ],
            [
                _("Sales per exhibitor, mean"),
                labels.amount(totals["avg_net_per_exhibitor"]),
                labels.amount(previous["avg_net_per_exhibitor"]),
                "",
            ],
        ],
        [40, 25, 25, 15],
        numeric={1, 2, 3},
    )


def _breakdown(pdf: ReportPDF, rows: list[dict], rows_are: str, totals: dict) -> None:
    """label · sales · income · share · bar, and the fair's totals."""
    net = totals["net"]
    top = max((Decimal(row["net"]) for row in rows), default=Decimal(0))
    rows_net = format_money(sum(parse_money(row["net"]) for row in rows))
    pdf.figures_table(
        [rows_are, _("Number of sales"), labels.currency(), _("Share"), ""],
        [
            [
                row["label"],
                labels.number(row["sales_count"]),
                labels.amount(row["net"]),
                _share(row["net"], net),
                Decimal(row["net"]),
            ]
            for row in rows
        ],
        [45, 14, 22, 12, 40],
        numeric={1, 2, 3},
        bars={4: top},
        total=[
            _("Total"),
            labels.number(totals["sales_count"]),
            labels.amount(rows_net),
            _share(rows_net, net),
            None,
        ],
    )


def _top_products(pdf: ReportPDF, products: list[dict]) -> None:
    pdf.heading(_("Best-selling products"))
    pdf.figures_table(
        [_("Product"), _("Exhibitor"), _("Quantity"), labels.currency()],
        [
            [
                labels.name_of(row),
                f"{row['booth']} · {labels.name_of(row, 'exhibitor_name')}",
                labels.quantity(row["quantity"], row["unit"]),
                labels.amount(row["net"]),
            ]
            for row in products
        ],
        [40, 50, 18, 20],
        numeric={2, 3},
    )


def _exhibitors(pdf: ReportPDF, rows: list[dict], totals: dict) -> None:
    pdf.add_page()
    pdf.heading(_("Net turnover per exhibitor"))
    pdf.figures_table(
        [_("Booth"), _("Exhibitor"), _("Sector"), _("Number of sales"), labels.currency()],
        [
            [
                row["booth"],
                labels.name_of(row),
                labels.sector(row["sector"]),
                labels.number(row["sales_count"]),
                labels.amount(row["net"]),
            ]
            for row in rows
        ],
        [12, 62, 36, 14, 22],
        numeric={3, 4},
        total=[
            "",
            _("Total"),
            "",
            labels.number(totals["sales_count"]),
            labels.amount(totals["net"]),
        ],
    )
