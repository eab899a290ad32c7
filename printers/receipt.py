"""The plain data a receipt is printed from. Built by the app, rendered here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    name_ar: str
    quantity: str  # "0.250", "2"
    unit: str  # piece | kg | g | l
    unit_price: str  # "130.00"
    line_total: str
    discount: str | None = None  # "10.00" when there is one


@dataclass(frozen=True)
class ReceiptPayment:
    method: str  # cash | card | mobile | transfer | cheque
    amount: str
    tendered: str | None = None
    change: str | None = None


@dataclass(frozen=True)
class ReceiptVat:
    rate: str  # "20" (percent)
    base: str  # the prices' total at that rate, without its VAT: "100.00"
    amount: str  # the VAT in them: "20.00"


@dataclass(frozen=True)
class Words:
    """A receipt's words in one language, from the app's catalogs (the renderer has none)."""

    booth: str  # "Stand A01"
    receipt: str
    recorded: str  # the public page of a receipt that is on record
    copy: str  # a reprint's mark: "DUPLICATA"
    void: str
    discount: str
    total: str
    total_with_vat: str  # the total's name when the prices include VAT: "TOTAL TTC"
    tendered: str  # cash the buyer handed over
    change: str
    voided_at: str
    reason: str
    check: str  # above the QR code
    code: str  # before the hash prefix
    currency: str
    till: str  # before who sold: "Caisse"
    ice: str  # before the seller's company identifier
    vat: str
    vat_base: str  # before the amount a VAT rate is taken on ("HT")
    vat_exempt: str
    methods: dict[str, str]  # payment method key: its name
    units: dict[str, str]  # unit key: what follows a quantity ("" for pieces)


@dataclass(frozen=True)
class Receipt:
    fair_name: str
    fair_name_ar: str
    exhibitor_name: str
    exhibitor_name_ar: str
    booth: str
    receipt_number: str
    local_time: str  # "29/11/2026 17:45", in the fair's time zone
    cashier: str  # the member who sold, else the phone's name; "" when neither is known
    lines: list[ReceiptLine]
    total: str
    payments: list[ReceiptPayment]
    verify_url: str
    hash_prefix: str
    french: Words
    arabic: Words
    footer: str = ""  # French
    footer_ar: str = ""
    copy: bool = False  # a reprint, marked "نظير / DUPLICATA"
    void_reason: str | None = None  # set: this is the receipt of a void
    void_time: str | None = None
    open_drawer: bool = False
    ice: str | None = None  # the seller's ICE, printed under its name
    # Where the fair is held, and where the seller is from (its address or town): the
    # place of sale and the seller's address a receipt must show (loi 31-08, art. 4).
    fair_place: str = ""
    fair_place_ar: str = ""
    exhibitor_address: str = ""
    # The VAT in the prices, rate by rate; None: the seller is exempt, and the receipt says so.
    vat: list[ReceiptVat] | None = None
