"""A fair of D days played in D × ``day_seconds`` of real time.

The fair's days are the D dates ending today, in the fair's time zone. Every day but the
last is in the past: its opening hours (10:00 to 21:00) pass in ``day_seconds``, and a sale
made at such a moment reaches the server as an offline till's sale does, later, with the
phone's clock telling the true time of sending. The last day is today, played live: its
sales are made now. So the server's clock rule, its closings and its reports all see true
moments, and a rehearsal against a real server needs no clock of its own changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

OPENS, CLOSES = 10, 21  # the fair's opening hours, local


@dataclass(frozen=True)
class FairClock:
    days: int
    day_seconds: float
    zone: ZoneInfo
    started: float  # time.monotonic() when the play began
    started_at: datetime  # the wall clock then, UTC

    @classmethod
    def start(cls, days: int, day_seconds: float, timezone: str) -> FairClock:
        return cls(days, day_seconds, ZoneInfo(timezone), time.monotonic(), datetime.now(UTC))

    @property
    def dates(self) -> list[date]:
        today = self.started_at.astimezone(self.zone).date()
        return [today - timedelta(days=self.days - 1 - n) for n in range(self.days)]

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def day_at(self, elapsed: float) -> int:
        return min(int(elapsed // self.day_seconds), self.days - 1)

    def moment(self, day: int, fraction: float) -> datetime:
        """The true moment (UTC) of a sale made ``fraction`` of the way through ``day``'s
        play; on the last day, now."""
        if day == self.days - 1:
            return datetime.now(UTC)
        opens = datetime.combine(self.dates[day], datetime.min.time(), self.zone)
        opens += timedelta(hours=OPENS)
        return (opens + (CLOSES - OPENS) * timedelta(hours=fraction)).astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def wait_until(self, elapsed: float) -> None:
        delay = elapsed - self.elapsed()
        if delay > 0:
            time.sleep(delay)
