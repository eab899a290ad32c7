"""The canonical form of a sealed record and its hash.

hash = SHA-256( previous hash (64 hex chars) + "\\n" + canonical JSON of the record )

The canonical JSON has sorted keys, no spaces, UTF-8 (not \\u escapes), amounts
as integers (centimes, thousandths), times as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``
and dates as ``YYYY-MM-DD``. The golden vector in tests/test_chain.py fixes it:
changing anything here breaks every chain already written.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

GENESIS_HASH = "0" * 64


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def seal(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(payload)).hexdigest()


def sale_payload(sale, lines, payments) -> dict:
    """What a sale's hash covers. ``sale``, ``lines`` and ``payments`` may be ORM
    objects or rows: anything with the column names as attributes."""
    payload = {
        "type": "sale",
        "seq": sale.chain_seq,
        "exhibitor_id": sale.exhibitor_id,
        "event_id": sale.event_id,
        "public_id": sale.public_id,
        "receipt_number": sale.receipt_number,
        "receipt_seq": sale.receipt_seq,
        "sold_at": timestamp(sale.sold_at),
        "recorded_at": timestamp(sale.recorded_at),
        "local_date": day(sale.local_date),
        "period_date": day(sale.period_date),
        "late": bool(sale.late),
        "total": sale.total,
        "user_id": sale.user_id,
        "device_id": sale.device_id,
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "name_ar": line.name_ar,
                "unit": line.unit,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount": line.discount,
                "line_total": line.line_total,
                # Sealed only where the booth was subject to VAT: earlier sales keep the
                # payload they were sealed with.
                **(
                    {"vat_rate": line.vat_rate}
                    if getattr(line, "vat_rate", None) is not None
                    else {}
                ),
            }
            for line in lines
        ],
        "payments": [
            {"method": p.method, "amount": p.amount, "tendered": p.tendered, "change": p.change}
            for p in payments
        ],
    }
    # Sealed only where the till's clock was corrected, so that earlier sales keep the
    # payload they were sealed with.
    if getattr(sale, "device_sold_at", None) is not None:
        payload["device_sold_at"] = timestamp(sale.device_sold_at)
    # Sealed only where the till said who sold, likewise.
    if getattr(sale, "member_id", None) is not None:
        payload["member_id"] = sale.member_id
    return payload


def void_payload(void, sale_receipt_number: str, sale_hash: str) -> dict:
    return {
        "type": "void",
        "seq": void.chain_seq,
        "exhibitor_id": void.exhibitor_id,
        "sale": sale_receipt_number,
        "sale_hash": sale_hash,
        "reason": void.reason,
        "voided_at": timestamp(void.voided_at),
        "user_id": void.user_id,
        "device_id": void.device_id,
    }


def closing_payload(closing) -> dict:
    return {
        "type": "closing",
        "number": closing.number,
        "exhibitor_id": closing.exhibitor_id,
        "event_id": closing.event_id,
        "business_date": day(closing.business_date),
        "period_from": day(closing.period_from),
        "sales_count": closing.sales_count,
        "voided_count": closing.voided_count,
        "late_count": closing.late_count,
        "gross": closing.gross,
        "voided": closing.voided,
        "net": closing.net,
        "by_method": json.loads(closing.by_method),
        "cash_expected": closing.cash_expected,
        "cash_counted": closing.cash_counted,
        "cash_difference": closing.cash_difference,
        "grand_total": closing.grand_total,
        "chain_seq": closing.chain_seq,
        "chain_hash": closing.chain_hash,
        "closed_at": timestamp(closing.closed_at),
        "user_id": closing.user_id,
        "device_id": closing.device_id,
    }
