"""Append to the event journal, in the transaction of the action it records."""

from __future__ import annotations

import json

import sqlalchemy as sa

from pos.audit.models import AuditEvent, AuditHead
from pos.core.db import utcnow
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.integrity import chain

KINDS = (
    "login.succeeded",
    "login.failed",
    "token.created",
    "token.revoked",
    "device.created",
    "device.revoked",
    "sale.voided",
    "sale.reprinted",
    "day.closed",
    "report.exported",
    "product.created",
    "product.price_changed",
    "printer.changed",
)


def audit_payload(event) -> dict:
    return {
        "seq": event.seq,
        "at": chain.timestamp(event.at),
        "kind": event.kind,
        "user_id": event.user_id,
        "device_id": event.device_id,
        "actor_email": event.actor_email,
        "event_id": event.event_id,
        "exhibitor_id": event.exhibitor_id,
        "subject": event.subject,
        "details": json.loads(event.details),
    }


def _advance_head() -> tuple[int, str]:
    row = db.session.execute(
        sa.update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_seq=AuditHead.last_seq + 1)
        .returning(AuditHead.last_seq, AuditHead.last_hash)
    ).one_or_none()
    if row is None:  # the very first entry of a new database
        db.session.add(AuditHead(id=1, last_seq=1, last_hash=chain.GENESIS_HASH))
        db.session.flush()
        return 1, chain.GENESIS_HASH
    return row.last_seq, row.last_hash


def record(
    kind: str,
    principal=None,
    *,
    exhibitor_id: int | None = None,
    event_id: int | None = None,
    subject: str | None = None,
    details: dict | None = None,
    actor_email: str | None = None,
) -> AuditEvent:
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    if event_id is None and exhibitor_id is not None:
        event_id = db.session.scalar(
            sa.select(Exhibitor.event_id).where(Exhibitor.id == exhibitor_id)
        )
    seq, prev_hash = _advance_head()
    entry = AuditEvent(
        seq=seq,
        at=utcnow(),
        kind=kind,
        user_id=getattr(principal, "user_id", None),
        device_id=getattr(principal, "device_id", None),
        actor_email=actor_email,
        event_id=event_id,
        exhibitor_id=exhibitor_id,
        subject=subject,
        details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
        prev_hash=prev_hash,
    )
    entry.hash = chain.seal(prev_hash, audit_payload(entry))
    db.session.add(entry)
    db.session.flush()
    db.session.execute(sa.update(AuditHead).where(AuditHead.id == 1).values(last_hash=entry.hash))
    return entry


def journal_query(event_id: int, kind: str | None = None) -> sa.Select:
    query = sa.select(AuditEvent).where(AuditEvent.event_id == event_id)
    if kind:
        query = query.where(AuditEvent.kind == kind)
    return query.order_by(AuditEvent.seq.desc())
