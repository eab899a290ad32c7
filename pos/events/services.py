from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pos.auth.principal import Principal
from pos.core.errors import invalid, not_found
from pos.core.messages import N_
from pos.events.models import Event
from pos.extensions import db


def _check_previous(data: dict, event_id: int | None = None) -> None:
    previous = data.get("previous_event_id")
    if previous is not None and (previous == event_id or db.session.get(Event, previous) is None):
        invalid("previous_event_id", N_("No such earlier edition."))


def create_event(data: dict) -> Event:
    _check_previous(data)
    event = Event(**data)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, data: dict) -> Event:
    merged_start = data.get("starts_on", event.starts_on)
    if data.get("ends_on", event.ends_on) < merged_start:
        invalid("ends_on", N_("Must not be before the first day."))
    _check_previous(data, event.id)
    for name, value in data.items():
        setattr(event, name, value)
    db.session.flush()
    return event


def load_event(event_id: int, principal: Principal) -> Event:
    """The event, if ``principal`` may see it: staff any, a cashier its own booth's."""
    event = db.session.get(Event, event_id)
    if event is None:
        not_found("event")
    if not principal.is_staff and principal.event_id != event.id:
        not_found("event")
    return event


def events_query(principal: Principal) -> sa.Select:
    query = sa.select(Event).order_by(Event.starts_on.desc(), Event.id)
    if not principal.is_staff:
        query = query.where(Event.id == principal.event_id)
    return query


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
