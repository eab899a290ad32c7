from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pos.audit import services as audit
from pos.auth.models import Organisation
from pos.auth.principal import Principal
from pos.auth.services import revoke_fair_device_tokens
from pos.core.db import utcnow
from pos.core.errors import fail, invalid, not_found
from pos.core.messages import N_
from pos.events.models import Event
from pos.extensions import db


def _check_previous(data: dict, organisation_id: int | None, event_id: int | None = None) -> None:
    """An earlier edition is a fair of the same organisation (its figures are shown beside
    this one's)."""
    previous = data.get("previous_event_id")
    if previous is None:
        return
    earlier = db.session.get(Event, previous)
    if (
        previous == event_id
        or earlier is None
        or earlier.removed_at
        or earlier.rehearsal
        or earlier.organisation_id != organisation_id
    ):
        invalid("previous_event_id", N_("No such earlier edition."))


def create_event(data: dict, organisation_id: int | None = None) -> Event:
    """A fair of ``organisation_id`` (None: an admin's, seen by admins only)."""
    _check_previous(data, organisation_id)
    event = Event(**data, organisation_id=organisation_id)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, data: dict) -> Event:
    merged_start = data.get("starts_on", event.starts_on)
    if data.get("ends_on", event.ends_on) < merged_start:
        invalid("ends_on", N_("Must not be before the first day."))
    _check_previous(data, event.organisation_id, event.id)
    for name, value in data.items():
        setattr(event, name, value)
    db.session.flush()
    return event


def load_event(event_id: int, principal: Principal) -> Event:
    """The event, if ``principal`` may see it: an admin any, an organiser its
    organisation's, a cashier its own booth's."""
    event = db.session.get(Event, event_id)
    if event is None or event.removed_at is not None:
        not_found("event")
    if principal.is_staff:
        if not principal.sees_organisation(event.organisation_id):
            not_found("event")
    elif principal.event_id != event.id:
        not_found("event")
    return event


def events_query(principal: Principal) -> sa.Select:
    """The fairs ``principal`` may see, the latest first."""
    query = (
        sa.select(Event)
        .where(Event.removed_at.is_(None))
        .order_by(Event.starts_on.desc(), Event.id)
    )
    if not principal.is_staff:
        query = query.where(Event.id == principal.event_id)
    elif not principal.is_admin:
        query = query.where(Event.organisation_id == principal.organisation_id)
    return query


def event_organisation(data: dict, principal: Principal) -> int | None:
    """The organisation a new fair belongs to: its organiser's; an admin names one
    (``organisation_id``) or keeps it for admins."""
    asked = data.pop("organisation_id", None)
    if not principal.is_admin:
        return principal.organisation_id
    if asked is not None and db.session.get(Organisation, asked) is None:
        invalid("organisation_id", N_("No such organisation."))
    return asked


def remove_rehearsal(event: Event, principal: Principal) -> None:
    """A rehearsal fair taken away: 404 from now on, its phones signed out. Its sealed
    sales, closings and journal stay (append-only; the journal's chain runs through them)."""
    if not event.rehearsal:
        fail(409, N_("Only a rehearsal fair can be removed: a fair's records are kept."))
    event.removed_at = utcnow()
    revoke_fair_device_tokens(event.id)
    db.session.flush()
    audit.record("event.removed", principal, event_id=event.id, subject=f"event:{event.id}")


class FairTime(Protocol):
    """What a fair's days are reckoned from: an Event, or a row with these columns."""

    timezone: str
    starts_on: date
    ends_on: date


def local_date(event: FairTime, moment: datetime) -> date:
    """The fair day a moment falls on, in the event's time zone (an Event, or a row with
    its ``timezone``)."""
    return moment.astimezone(ZoneInfo(event.timezone)).date()


def event_bounds(event: FairTime) -> tuple[datetime, datetime]:
    """First and last instant (exclusive end) of the fair in its time zone (an Event, or a
    row with its ``timezone``, ``starts_on`` and ``ends_on``)."""
    zone = ZoneInfo(event.timezone)
    start = datetime.combine(event.starts_on, time.min, zone)
    end = datetime.combine(event.ends_on + timedelta(days=1), time.min, zone)
    return start, end
