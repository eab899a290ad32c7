"""What waits on the booths' phones: each device's last report (heartbeat), gathered for
the organiser, booths with the most sales waiting first."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from pos.devices.models import Device
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor
from pos.extensions import db


def waiting_on_phones(event: Event, limit: int = 1000, offset: int = 0) -> dict:
    rows = db.session.execute(
        sa.select(Device, Exhibitor.booth, Exhibitor.name)
        .join(Exhibitor, Exhibitor.id == Device.exhibitor_id)
        .where(Exhibitor.event_id == event.id, Device.revoked_at.is_(None))
        .order_by(Exhibitor.booth, Device.id)
    ).all()
    booths: dict[int, dict] = {}
    waiting: defaultdict[int, int] = defaultdict(int)
    for device, booth, name in rows:
        item = booths.setdefault(
            device.exhibitor_id,
            {"exhibitor_id": device.exhibitor_id, "booth": booth, "name": name, "devices": []},
        )
        item["devices"].append(device)
        waiting[device.exhibitor_id] += device.outbox
    items = sorted(booths.values(), key=lambda item: -waiting[item["exhibitor_id"]])
    return {
        "waiting_sales": sum(waiting.values()),
        "booths_waiting": sum(1 for count in waiting.values() if count),
        "refused_sales": sum(device.refused for device, _, _ in rows),
        "items": items[offset : offset + limit],
        "total": len(items),
    }
