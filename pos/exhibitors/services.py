from __future__ import annotations

import sqlalchemy as sa

from pos.auth.principal import Principal
from pos.core.errors import invalid, not_found
from pos.core.messages import N_
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db


def load_exhibitor(exhibitor_id: int, principal: Principal) -> Exhibitor:
    """The exhibitor if ``principal`` may see it; another booth's is simply not found."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    if exhibitor is None or not principal.may_access(exhibitor.id):
        not_found("exhibitor")
    return exhibitor


def _check_booth_free(event_id: int, booth: str, exhibitor_id: int | None = None) -> None:
    taken = db.session.scalar(
        sa.select(Exhibitor.id).where(Exhibitor.event_id == event_id, Exhibitor.booth == booth)
    )
    if taken is not None and taken != exhibitor_id:
        invalid("booth", N_("Booth %(booth)s is already taken at this fair.", booth=booth))


def create_exhibitor(event: Event, data: dict) -> Exhibitor:
    _check_booth_free(event.id, data["booth"])
    exhibitor = Exhibitor(event=event, **data)
    db.session.add(exhibitor)
    db.session.flush()
    db.session.add(ExhibitorLedger(exhibitor_id=exhibitor.id))
    db.session.flush()
    return exhibitor


def update_exhibitor(exhibitor: Exhibitor, data: dict) -> Exhibitor:
    if "booth" in data:
        _check_booth_free(exhibitor.event_id, data["booth"], exhibitor.id)
    members = data.get("members", exhibitor.members)
    women = data.get("women_members", exhibitor.women_members)
    if members is not None and women is not None and women > members:
        invalid("women_members", N_("Cannot exceed members."))
    for name, value in data.items():
        setattr(exhibitor, name, value)
    db.session.flush()
    return exhibitor


def exhibitors_query(event: Event) -> sa.Select:
    return sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
