"""Recompute every hash chain and name each record that does not hold.

Three kinds of damage are told apart: a record whose content changed (its
hash no longer matches), a record missing in the middle (a gap in the links
or the receipt numbers), and records cut from the end (the ledger head and
the closings anchor links that are no longer there).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa

from pos.audit.models import AuditEvent, AuditHead
from pos.audit.services import audit_payload
from pos.closings.models import Closing
from pos.core import chain
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.sales.models import Payment, Sale, SaleLine, SaleVoid, receipt_number


@dataclass
class Report:
    records: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(query) -> list:
    return [SimpleNamespace(**row._mapping) for row in db.session.execute(query)]


def _grouped(model, exhibitor_id: int) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    table = model.__table__
    query = (
        sa.select(table)
        .join(Sale.__table__, Sale.id == table.c.sale_id)
        .where(Sale.exhibitor_id == exhibitor_id)
        .order_by(table.c.sale_id, table.c.position)
    )
    for row in _rows(query):
        groups[row.sale_id].append(row)
    return groups


def _verify_exhibitor(exhibitor: Exhibitor, head: ExhibitorLedger, report: Report) -> None:
    who = f"booth {exhibitor.booth} (exhibitor {exhibitor.id})"
    sales = _rows(
        sa.select(Sale.__table__).where(Sale.exhibitor_id == exhibitor.id).order_by(Sale.chain_seq)
    )
    voids = _rows(sa.select(SaleVoid.__table__).where(SaleVoid.exhibitor_id == exhibitor.id))
    lines, payments = _grouped(SaleLine, exhibitor.id), _grouped(Payment, exhibitor.id)
    sale_by_id = {sale.id: sale for sale in sales}
    records = sorted(
        [("sale", s) for s in sales] + [("void", v) for v in voids],
        key=lambda pair: pair[1].chain_seq,
    )
    expected_seq, prev_hash, link_hash = 1, chain.GENESIS_HASH, {}
    for kind, record in records:
        if kind == "sale":
            label = f"sale {record.receipt_number} (id {record.id}, link {record.chain_seq})"
            payload = chain.sale_payload(
                record, lines.get(record.id, []), payments.get(record.id, [])
            )
        else:
            sale = sale_by_id.get(record.sale_id)
            label = (
                f"void of sale {sale.receipt_number if sale else record.sale_id} "
                f"(void id {record.id}, link {record.chain_seq})"
            )
            payload = chain.void_payload(
                record, sale.receipt_number if sale else "?", sale.hash if sale else "?"
            )
        if record.chain_seq != expected_seq:
            report.problems.append(
                f"{who}: link(s) {expected_seq}..{record.chain_seq - 1} missing before {label}"
            )
        elif record.prev_hash != prev_hash:
            report.problems.append(f"{who}: {label} does not follow the previous link")
        if chain.seal(record.prev_hash, payload) != record.hash:
            report.problems.append(f"{who}: {label} was changed after it was sealed")
        prev_hash, expected_seq = record.hash, record.chain_seq + 1
        link_hash[record.chain_seq] = record.hash
        report.records += 1

    receipts = [sale.receipt_seq for sale in sales]
    missing = sorted(set(range(1, head.last_receipt_number + 1)) - set(receipts))
    if missing:
        names = ", ".join(receipt_number(exhibitor.booth, n) for n in missing[:20])
        report.problems.append(
            f"{who}: receipt(s) {names} missing" + (" ..." if len(missing) > 20 else "")
        )
    last_seq = expected_seq - 1
    if head.last_chain_seq != last_seq or (last_seq and head.last_hash != prev_hash):
        report.problems.append(
            f"{who}: the chain ends at link {last_seq} but its head says link "
            f"{head.last_chain_seq}: records were deleted from the end or the head was changed"
        )
    _verify_closings(exhibitor, who, link_hash, report)
    report.chains += 1


def _verify_closings(exhibitor: Exhibitor, who: str, link_hash: dict, report: Report) -> None:
    closings = _rows(
        sa.select(Closing.__table__)
        .where(Closing.exhibitor_id == exhibitor.id)
        .order_by(Closing.number)
    )
    prev_hash, grand_total = chain.GENESIS_HASH, 0
    for expected_number, closing in enumerate(closings, start=1):
        label = f"closing Z#{closing.number} of {closing.business_date} (id {closing.id})"
        if closing.number != expected_number:
            report.problems.append(f"{who}: closing(s) before {label} missing")
        elif closing.prev_hash != prev_hash:
            report.problems.append(f"{who}: {label} does not follow the previous closing")
        if chain.seal(closing.prev_hash, chain.closing_payload(closing)) != closing.hash:
            report.problems.append(f"{who}: {label} was changed after it was sealed")
        if closing.grand_total != grand_total + closing.net:
            report.problems.append(f"{who}: {label} grand total does not follow on")
        if closing.chain_seq and link_hash.get(closing.chain_seq) != closing.chain_hash:
            report.problems.append(
                f"{who}: {label} anchors link {closing.chain_seq}, which is missing or "
                "not the one sealed then: sales were deleted or replaced"
            )
        prev_hash, grand_total = closing.hash, closing.grand_total
        report.records += 1


def _verify_audit(report: Report) -> None:
    entries = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
    expected_seq, prev_hash = 1, chain.GENESIS_HASH
    for entry in entries:
        label = f"journal entry {entry.seq} ({entry.kind}, id {entry.id})"
        if entry.seq != expected_seq:
            report.problems.append(
                f"event journal: entries {expected_seq}..{entry.seq - 1} missing before {label}"
            )
        elif entry.prev_hash != prev_hash:
            report.problems.append(f"event journal: {label} does not follow the previous entry")
        try:
            recomputed = chain.seal(entry.prev_hash, audit_payload(entry))
        except json.JSONDecodeError:
            recomputed = None
        if recomputed != entry.hash:
            report.problems.append(f"event journal: {label} was changed after it was sealed")
        prev_hash, expected_seq = entry.hash, entry.seq + 1
        report.records += 1
    head = db.session.get(AuditHead, 1)
    if head is not None and (
        head.last_seq != expected_seq - 1 or (entries and head.last_hash != prev_hash)
    ):
        report.problems.append(
            f"event journal: ends at entry {expected_seq - 1} but its head "
            f"says {head.last_seq}: entries were deleted from the end"
        )
    report.chains += 1


def verify_all() -> Report:
    report = Report()
    pairs = db.session.execute(
        sa.select(Exhibitor, ExhibitorLedger)
        .join(ExhibitorLedger, ExhibitorLedger.exhibitor_id == Exhibitor.id)
        .order_by(Exhibitor.event_id, Exhibitor.booth)
    ).all()
    for exhibitor, head in pairs:
        _verify_exhibitor(exhibitor, head, report)
    _verify_audit(report)
    return report


def verify_exhibitor(exhibitor: Exhibitor) -> Report:
    """One booth's chain alone (a certificate's check): its sales, voids and closings."""
    report = Report()
    _verify_exhibitor(exhibitor, db.session.get_one(ExhibitorLedger, exhibitor.id), report)
    return report
