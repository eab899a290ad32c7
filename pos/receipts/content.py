"""A recorded sale as the plain receipt data the ``printers`` package prints."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from pos.core import labels
from pos.core.money import format_money, format_quantity
from pos.devices.models import Device
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.members.models import Member
from pos.sales.models import Sale
from printers.receipt import Receipt, ReceiptLine, ReceiptPayment, ReceiptVat, Words


def verify_url(sale: Sale) -> str:
    """The receipt's public page as its QR code carries it: in capitals, which a QR code
    holds in its alphanumeric mode (5.5 bits a character, not 8), a code a size smaller.
    Case does not matter in a scheme or a host, and the page answers to either case; a
    path the server is published under keeps its own."""
    base = urlsplit(current_app.config["POS_PUBLIC_URL"].rstrip("/"))
    return f"{base.scheme.upper()}://{base.netloc.upper()}{base.path}/R/{sale.public_id.upper()}"


@cache
def receipt_words(language: str) -> Words:
    """A receipt's words in ``language``, from the catalogs; looked up once per process
    (every receipt the print worker renders needs them, and the catalogs do not change)."""
    with labels.language(language):
        return Words(
            booth=_("Booth"),
            receipt=_("Receipt"),
            recorded=_("Receipt on record"),
            copy=_("DUPLICATE"),
            void=_("VOIDED"),
            discount=_("Discount"),
            total=_("TOTAL"),
            total_with_vat=_("TOTAL incl. VAT"),
            tendered=_("Cash received"),
            change=_("Change given"),
            voided_at=_("Voided on"),
            reason=_("Reason"),
            check=_("Check this receipt"),
            code=_("Check code"),
            currency=labels.currency(),
            till=_("Till"),
            ice=_("ICE"),
            vat=_("VAT"),
            vat_base=_("excl. VAT"),
            vat_exempt=_("Exempt from VAT"),
            methods={key: labels.method(key) for key in labels.PAYMENT_METHODS},
            units={key: "" if key == "piece" else labels.unit(key) for key in labels.UNITS},
        )


def bilingual_words() -> dict[str, Words]:
    return {language: receipt_words(language) for language in labels.RECEIPT_LANGUAGES}


def _local(moment, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


def receipt_for(sale: Sale, kind: str = "receipt", open_drawer: bool = False) -> Receipt:
    exhibitor = db.session.get_one(Exhibitor, sale.exhibitor_id)
    event = exhibitor.event
    member = db.session.get(Member, sale.member_id) if sale.member_id else None
    device = db.session.get(Device, sale.device_id) if sale.device_id and not member else None
    void = sale.void if kind == "void" else None
    words = bilingual_words()
    return Receipt(
        fair_name=event.name,
        fair_name_ar=event.name_ar,
        exhibitor_name=exhibitor.name,
        exhibitor_name_ar=exhibitor.name_ar,
        booth=exhibitor.booth,
        receipt_number=sale.receipt_number,
        local_time=_local(sale.sold_at, event.timezone),
        cashier=member.name if member else device.label if device else "",
        lines=[
            ReceiptLine(
                name=line.name,
                name_ar=line.name_ar,
                quantity=format_quantity(line.quantity),
                unit=line.unit,
                unit_price=format_money(line.unit_price),
                line_total=format_money(line.line_total),
                discount=format_money(line.discount) if line.discount else None,
            )
            for line in sale.lines
        ],
        total=format_money(sale.total),
        payments=[
            ReceiptPayment(
                method=p.method,
                amount=format_money(p.amount),
                tendered=None if p.tendered is None else format_money(p.tendered),
                change=format_money(p.change),
            )
            for p in sale.payments
        ],
        verify_url=verify_url(sale),
        hash_prefix=sale.hash_prefix,
        french=words["fr"],
        arabic=words["ar"],
        footer=current_app.config["POS_RECEIPT_FOOTER"],
        footer_ar=current_app.config["POS_RECEIPT_FOOTER_AR"],
        fair_place=event.place or "",
        fair_place_ar=event.place_ar or "",
        exhibitor_address=exhibitor.address or exhibitor.province,
        copy=kind == "copy",
        void_reason=void.reason if void else None,
        void_time=_local(void.voided_at, event.timezone) if void else None,
        open_drawer=open_drawer,
        ice=exhibitor.ice,
        vat=_receipt_vat(sale.vat),
    )


def _receipt_vat(rows: list[dict] | None) -> list[ReceiptVat] | None:
    if rows is None:
        return None  # exempt: the receipt says so
    return [
        ReceiptVat(str(row["rate"]), format_money(row["base"]), format_money(row["amount"]))
        for row in rows
    ]
