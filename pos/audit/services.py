"""Append to the event journal, in the transaction of the action it records."""

from __future__ import annotations

import json
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pos.audit.models import AuditEvent, AuditHead
from pos.core import chain
from pos.core.db import utcnow
from pos.extensions import db

KINDS = (
    "login.succeeded",
    "login.failed",
    "pairing.failed",
    "token.created",
    "token.revoked",
    "device.created",
    "device.revoked",
    "sale.voided",
    "sale.refused",
    "sale.set_aside",
    "order.set_aside",
    "contact.set_aside",
    "sale.reprinted",
    "day.closed",
    "report.exported",
    "certificate.issued",
    "product.created",
    "product.price_changed",
    "printer.changed",
    "event.removed",
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


def _advance_head(session: Session) -> tuple[int, str]:
    row = session.execute(
        sa.update(AuditHead)
        .where(AuditHead.id == 1)
        .values(last_seq=AuditHead.last_seq + 1)
        .returning(AuditHead.last_seq, AuditHead.last_hash)
    ).one_or_none()
    if row is None:  # the very first entry of a new database
        session.add(AuditHead(id=1, last_seq=1, last_hash=chain.GENESIS_HASH))
        session.flush()
        return 1, chain.GENESIS_HASH
    return row.last_seq, row.last_hash


# The journal sits below every feature it records: the exhibitors' table by name, as its
# foreign key names it.
_EXHIBITORS = sa.table("exhibitors", sa.column("id"), sa.column("event_id"))


class Actor(Protocol):
    """Who did it, as the journal keeps it: a principal, or a token just issued (a login)."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def device_id(self) -> int | None: ...


def record(
    kind: str,
    principal: Actor | None = None,
    *,
    exhibitor_id: int | None = None,
    event_id: int | None = None,
    subject: str | None = None,
    details: dict | None = None,
    actor_email: str | None = None,
    session: Session | None = None,
) -> AuditEvent:
    """Append an entry in ``session``'s transaction (the request's by default)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    session = session or db.session()
    if event_id is None and exhibitor_id is not None:
        event_id = session.scalar(
            sa.select(_EXHIBITORS.c.event_id).where(_EXHIBITORS.c.id == exhibitor_id)
        )
    seq, prev_hash = _advance_head(session)
    entry = AuditEvent(
        seq=seq,
        at=utcnow(),
        kind=kind,
        user_id=principal.user_id if principal else None,
        device_id=principal.device_id if principal else None,
        actor_email=actor_email,
        event_id=event_id,
        exhibitor_id=exhibitor_id,
        subject=subject,
        details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
        prev_hash=prev_hash,
    )
    entry.hash = chain.seal(prev_hash, audit_payload(entry))
    session.add(entry)
    session.flush()
    session.execute(sa.update(AuditHead).where(AuditHead.id == 1).values(last_hash=entry.hash))
    return entry


def record_apart(kind: str, principal: Actor | None, **fields) -> None:
    """Journal what a read request did (a report exported) in a short write transaction of
    its own, committed at once: the read itself never needs the writer lock, and on SQLite
    a read transaction that began before another till's sale could not write at all."""
    with Session(db.engine.execution_options(writing=True)) as session, session.begin():
        record(kind, principal, session=session, **fields)


def journal_query(event_id: int, kind: str | None = None) -> sa.Select:
    query = sa.select(AuditEvent).where(AuditEvent.event_id == event_id)
    if kind:
        query = query.where(AuditEvent.kind == kind)
    return query.order_by(AuditEvent.seq.desc())
