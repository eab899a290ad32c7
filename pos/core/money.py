"""Exact money and quantities.

Money is an integer number of centimes; quantities are integer thousandths of
their unit (0.250 kg is 250). JSON carries both as decimal strings.
"""

from __future__ import annotations

import re

# ASCII digits only, the whole string: ``$`` would let "1\n" through, ``\d`` "1٠" and "4０".
MONEY_PATTERN = re.compile(r"\A(0|[1-9][0-9]*)(\.[0-9]{1,2})?\Z")
QUANTITY_PATTERN = re.compile(r"\A(0|[1-9][0-9]*)(\.[0-9]{1,3})?\Z")
QUANTITY_SCALE = 1000


def _parse_scaled(text: str, pattern: re.Pattern[str], decimals: int) -> int:
    if not isinstance(text, str) or not pattern.match(text):
        raise ValueError(text)
    whole, _, fraction = text.partition(".")
    if len(whole) > 15:
        raise ValueError(text)
    return int(whole) * 10**decimals + int(fraction.ljust(decimals, "0") or 0)


def parse_money(text: str) -> int:
    """'12.5' -> 1250. Raises ValueError on anything but a plain non-negative decimal."""
    return _parse_scaled(text, MONEY_PATTERN, 2)


def parse_quantity(text: str) -> int:
    """'0.250' -> 250 (thousandths)."""
    return _parse_scaled(text, QUANTITY_PATTERN, 3)


def format_money(centimes: int) -> str:
    sign = "-" if centimes < 0 else ""
    whole, cents = divmod(abs(centimes), 100)
    return f"{sign}{whole}.{cents:02d}"


def format_quantity(thousandths: int) -> str:
    # Below zero too (more sold than was counted in): the sign, then the size.
    sign = "-" if thousandths < 0 else ""
    whole, fraction = divmod(abs(thousandths), QUANTITY_SCALE)
    return f"{sign}{whole}.{fraction:03d}"


def line_amount(quantity: int, unit_price: int) -> int:
    """Quantity (thousandths) x unit price (centimes), rounded half-up to the centime."""
    return (quantity * unit_price + QUANTITY_SCALE // 2) // QUANTITY_SCALE
