from __future__ import annotations

import sqlalchemy as sa

from pos.auth.principal import Principal
from pos.contacts.models import Contact
from pos.core.db import utcnow
from pos.core.errors import not_found
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.members.services import check_member_of


def create_contact(exhibitor: Exhibitor, data: dict, principal: Principal) -> Contact:
    check_member_of(exhibitor, data.get("member_id"))
    contact = Contact(
        event_id=exhibitor.event_id,
        exhibitor_id=exhibitor.id,
        kind=data["kind"],
        name=data["name"].strip(),
        phone=(data.get("phone") or "").strip() or None,
        interest=(data.get("interest") or "").strip() or None,
        made_at=data.get("made_at") or utcnow(),
        user_id=principal.user_id,
        device_id=principal.device_id,
        member_id=data.get("member_id"),
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def contacts_query(exhibitor: Exhibitor) -> sa.Select:
    return (
        sa.select(Contact)
        .where(Contact.exhibitor_id == exhibitor.id)
        .order_by(Contact.made_at.desc(), Contact.id.desc())
    )


def load_contact(contact_id: int) -> Contact:
    return db.session.get(Contact, contact_id) or not_found("contact")
