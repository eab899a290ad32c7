"""What an operator watches, in Prometheus's text format (``GET /metrics``).

Counts that live in the database (sales recorded, the print queue, what waits on the
phones) are read at each scrape, so every host answers the same; request latency is this
process's own (with several gunicorn workers, set ``PROMETHEUS_MULTIPROC_DIR`` to a folder
they share and the scrape adds them up, as the Prometheus client documents).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from pos.core.db import utcnow
from pos.devices.models import Device
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor, ExhibitorLedger
from pos.extensions import db
from pos.printing.models import ON_DEVICE, RETRYABLE, PrinterSettings, PrintJob

REQUEST_SECONDS = Histogram(
    "pos_request_duration_seconds",
    "Time to answer a request, by route and status class.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
WAITING = (*RETRYABLE, "printing", *ON_DEVICE)


class FairCollector(Collector):
    """The database's counts, for the fairs ``event_ids`` (None: every fair)."""

    def __init__(self, event_ids: list[int] | None):
        self.event_ids = event_ids

    def _fairs(self, column):
        return [] if self.event_ids is None else [column.in_(self.event_ids)]

    def collect(self) -> Iterator:
        sales = CounterMetricFamily(
            "pos_sales_recorded",
            "Sales recorded (each booth's receipt numbers, gapless).",
            labels=["event_id"],
        )
        for event_id, count in db.session.execute(
            sa.select(Exhibitor.event_id, sa.func.sum(ExhibitorLedger.last_receipt_number))
            .join(ExhibitorLedger, ExhibitorLedger.exhibitor_id == Exhibitor.id)
            .where(*self._fairs(Exhibitor.event_id))
            .group_by(Exhibitor.event_id)
        ):
            sales.add_metric([str(event_id)], count or 0)
        yield sales
        yield from self._print_queue()
        yield from self._phones()

    def _print_queue(self) -> Iterator:
        depth = GaugeMetricFamily(
            "pos_print_queue_depth",
            "Receipts not printed yet, by print station ('device': the booths' phones) and state.",
            labels=["station", "state"],
        )
        oldest = GaugeMetricFamily(
            "pos_print_queue_oldest_seconds",
            "Age of the oldest receipt not printed yet, by print station.",
            labels=["station"],
        )
        station = sa.case(
            (PrintJob.status.in_(ON_DEVICE), "device"),
            else_=sa.func.coalesce(PrinterSettings.station, ""),
        )
        rows = db.session.execute(
            sa.select(station, PrintJob.status, sa.func.count(), sa.func.min(PrintJob.created_at))
            .select_from(PrintJob)
            .join(Exhibitor, Exhibitor.id == PrintJob.exhibitor_id)
            .outerjoin(PrinterSettings, PrinterSettings.exhibitor_id == PrintJob.exhibitor_id)
            .where(PrintJob.status.in_(WAITING), *self._fairs(Exhibitor.event_id))
            .group_by(station, PrintJob.status)
        ).all()
        now = utcnow()
        first_of: dict[str, datetime] = {}
        for name, state, count, created in rows:
            depth.add_metric([name, state], count)
            created = _aware(created)
            if name not in first_of or created < first_of[name]:
                first_of[name] = created
        for name, created in first_of.items():
            oldest.add_metric([name], max(0.0, (now - created).total_seconds()))
        yield depth
        yield oldest

    def _phones(self) -> Iterator:
        waiting = GaugeMetricFamily(
            "pos_sales_waiting_on_phones",
            "Sales kept on the booths' phones, not yet sent (as their last heartbeat said).",
            labels=["event_id"],
        )
        refused = GaugeMetricFamily(
            "pos_sales_refused_on_phones",
            "Sales the server refused, set aside on the phones for the booth to settle.",
            labels=["event_id"],
        )
        for event_id, outbox, refusals in db.session.execute(
            sa.select(Exhibitor.event_id, sa.func.sum(Device.outbox), sa.func.sum(Device.refused))
            .join(Exhibitor, Exhibitor.id == Device.exhibitor_id)
            .where(Device.revoked_at.is_(None), *self._fairs(Exhibitor.event_id))
            .group_by(Exhibitor.event_id)
        ):
            waiting.add_metric([str(event_id)], outbox or 0)
            refused.add_metric([str(event_id)], refusals or 0)
        yield waiting
        yield refused


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def exposition(event_ids: list[int] | None) -> bytes:
    """The metrics as Prometheus text: this process's (or every worker's) and the fairs'."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(FairCollector(event_ids))
    return generate_latest(registry)


class _ProcessMetrics(Collector):
    """This process's own metrics (request latency), from the default registry."""

    def collect(self) -> Iterator:
        yield from REQUEST_SECONDS.collect()


def visible_fairs(principal) -> list[int] | None:
    """The fairs whose counts a caller reads: an organiser its organisation's, an admin or
    the metrics token all (None)."""
    if principal is None or principal.is_admin:
        return None
    return list(
        db.session.scalars(
            sa.select(Event.id).where(Event.organisation_id == principal.organisation_id)
        )
    )
