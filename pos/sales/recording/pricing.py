"""Turn a till's lines and payments into exact amounts, or say which field is wrong.

Everything here is checked before a single row is written, and all problems
of a sale are reported at once so a till can show them together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.core import money
from pos.core.errors import fail
from pos.core.messages import N_


@dataclass(frozen=True)
class PricedLine:
    product: Product | sa.Row  # anything with the product's columns as attributes
    quantity: int
    unit_price: int
    discount: int
    line_total: int


@dataclass(frozen=True)
class SettledPayment:
    method: str
    amount: int
    tendered: int | None
    change: int


def price_lines(
    lines: list[dict],
    products: Mapping[int, Product | sa.Row],
    errors: dict[str, list[str]],
    sold_at: datetime,
    had_price: Callable[[int, int], bool],
) -> list[PricedLine]:
    """``sold_at``: when the sale was made (a withdrawn product sold before its withdrawal
    is a fact); ``had_price(product_id, price)``: whether the product had that price at
    some moment of the fair (asked only for a price that is not the current one)."""
    priced = []
    for index, line in enumerate(lines):
        field = f"lines.{index}"
        product = products.get(line["product_id"])
        if product is None:
            errors[f"{field}.product_id"] = [N_("Unknown product for this booth.")]
            continue
        if not product.active and (product.withdrawn_at is None or sold_at >= product.withdrawn_at):
            errors[f"{field}.product_id"] = [N_("This product is no longer sold.")]
            continue
        if product.unit == "piece" and line["quantity"] % money.QUANTITY_SCALE:
            errors[f"{field}.quantity"] = [N_("A piece is sold in whole numbers.")]
            continue
        asked = line.get("unit_price")
        if product.open_price:
            if asked is None:
                errors[f"{field}.unit_price"] = [N_("Required: the price agreed with the buyer.")]
                continue
            if asked == 0:
                errors[f"{field}.unit_price"] = [N_("An agreed price must be above zero.")]
                continue
            unit_price = asked
        else:
            if (
                asked is not None
                and asked != product.unit_price
                and not had_price(product.id, asked)
            ):
                catalogue = money.format_money(product.unit_price)
                errors[f"{field}.unit_price"] = [
                    N_(
                        "This product never had this price during the fair; it is %(price)s now.",
                        price=catalogue,
                    )
                ]
                continue
            # The price the till showed (a price of the fair, an offline till's), or today's.
            unit_price = product.unit_price if asked is None else asked
        amount = money.line_amount(line["quantity"], unit_price)
        if line["discount"] > amount:
            errors[f"{field}.discount"] = [N_("Cannot exceed the line amount.")]
            continue
        priced.append(
            PricedLine(
                product, line["quantity"], unit_price, line["discount"], amount - line["discount"]
            )
        )
    return priced


def settle_payments(
    payments: list[dict], total: int, errors: dict[str, list[str]]
) -> list[SettledPayment]:
    settled = []
    for index, payment in enumerate(payments):
        tendered = payment.get("tendered")
        if tendered is not None and payment["method"] != "cash":
            errors[f"payments.{index}.tendered"] = [
                N_("Only a cash payment has an amount tendered.")
            ]
            continue
        if tendered is not None and tendered < payment["amount"]:
            errors[f"payments.{index}.tendered"] = [N_("Cannot be less than the amount.")]
            continue
        change = 0 if tendered is None else tendered - payment["amount"]
        settled.append(SettledPayment(payment["method"], payment["amount"], tendered, change))
    paid = sum(p["amount"] for p in payments)
    if "payments" not in errors and paid != total:
        errors["payments"] = [
            N_(
                "Payments add up to %(paid)s, the total is %(total)s.",
                paid=money.format_money(paid),
                total=money.format_money(total),
            )
        ]
    return settled


def price_sale(
    data: dict,
    products: Mapping[int, Product | sa.Row],
    sold_at: datetime,
    had_price: Callable[[int, int], bool],
):
    """(lines, payments, total), or a 422 naming every wrong field."""
    errors: dict[str, list[str]] = {}
    lines = price_lines(data["lines"], products, errors, sold_at, had_price)
    total = sum(line.line_total for line in lines)
    payments = settle_payments(data["payments"], total, errors) if not errors else []
    if errors:
        fail(422, N_("The sale was not recorded."), errors=errors)
    return lines, payments, total
