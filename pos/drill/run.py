"""The play: the fair set up, its schedule of sales and faults run in real time, every
phone brought back at the end, the last day closed, and the verdict drawn."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pos.core.money import format_money
from pos.drill import hosts as hosting
from pos.drill import plan as planning
from pos.drill import setup, verdict
from pos.drill.browser import BrowserTills
from pos.drill.client import Client, Unreachable
from pos.drill.clock import FairClock
from pos.drill.phone import Booth, Phone
from pos.drill.printers import BoothPrinter, Counter
from pos.drill.truth import TruthLog

# After the play, how long receipts may stop coming out before the drill stops waiting for
# them: the longest a printer's retry waits is a minute.
DRAIN_SECONDS = 120


@dataclass
class Local:
    """Where the drill started the servers itself: what it can kill, back up and restore."""

    database_url: str
    hosts: list[hosting.Host]
    folder: Path
    backups: list[Path] = field(default_factory=list)

    @property
    def bases(self) -> list[str]:
        return [host.base for host in self.hosts]

    def kill(self, number: int) -> None:
        """SIGKILL one host (a power cut), then start it again as an operator would."""
        host = self.hosts[number % len(self.hosts)]
        host.kill()
        time.sleep(1.0)
        host.start()

    def backup(self) -> None:
        target = self.folder / (
            "backup.sqlite3" if self.database_url.startswith("sqlite") else "backup.dump"
        )
        result = hosting.pos_command(self.database_url, "backup", "--out", str(target))
        if result.returncode == 0:
            self.backups.append(target)
        else:
            raise RuntimeError(f"pos backup failed: {result.stderr}")

    def stop(self) -> None:
        for host in self.hosts:
            host.stop()


class Drill:
    def __init__(
        self,
        settings: planning.Settings,
        folder: Path,
        organiser: Client,
        local: Local | None,
        printers: dict[str, BoothPrinter],
        browsers: BrowserTills | None = None,
    ):
        self.settings, self.folder, self.organiser, self.local = settings, folder, organiser, local
        self.printers, self.browsers = printers, browsers
        self.rng = random.Random(settings.seed)
        self.plans = planning.booths(settings, self.rng)
        self.actions = planning.schedule(settings, self.plans, self.rng)
        if local is None:  # a rehearsal on the fair's own server: nothing of it is killed
            # here, and its receipts print on the phones, not on printers the drill holds
            self.actions = [a for a in self.actions if a.kind not in ("kill", "backup", "printer")]
        self.thrown: Tally[str] = Tally()
        self.phones: dict[tuple[str, int], Phone] = {}
        self.booths: dict[str, Booth] = {}
        self.closed: set[str] = set()
        self.pool = ThreadPoolExecutor(24)
        self.errors: list[str] = []
        self.taken_over = 0
        self.waiting_at_close, self.drain_seconds = 0, 0.0
        self.printer_faults = sum(
            a.kind == "printer" and a.args["state"] != "ready" for a in self.actions
        )

    # ---- before the fair ----

    def set_up(self) -> None:
        clock = FairClock.start(self.settings.days, self.settings.day_seconds, setup.TIMEZONE)
        self.event_id = setup.create_event(self.organiser, clock.dates, self.settings.seed)
        made = setup.create_booths(self.organiser, self.event_id, self.plans, self.printers)
        truth = self.folder / "truth"
        for index, (booth, tokens) in enumerate(made):
            self.booths[booth.plan.booth] = booth
            for plan, token in zip(booth.plan.phones, tokens, strict=True):
                phone = Phone(
                    plan,
                    booth,
                    self.organiser.signed_in(token),
                    TruthLog(truth, plan.name),
                    clock,
                    prefer=index,
                )
                self.phones[(booth.plan.booth, plan.number - 1)] = phone
        list(self.pool.map(lambda phone: phone.refresh_catalogue(), self.phones.values()))

    # ---- the fair ----

    def play(self) -> None:
        self.clock = FairClock.start(self.settings.days, self.settings.day_seconds, setup.TIMEZONE)
        for phone in self.phones.values():
            phone.clock = self.clock
        total = self.settings.days * self.settings.day_seconds
        if self.browsers:
            self.browsers.take_part(
                list(self.booths.values()),
                lambda: self.clock,
                total,
                (self.settings.days - 1) * self.settings.day_seconds,
            )
        sweeps = threading.Thread(target=self._sweep, daemon=True)
        self._playing = True
        sweeps.start()
        futures = []
        for action in self.actions:
            self.clock.wait_until(action.at)
            futures.append(self.pool.submit(self._guarded, action))
        self.clock.wait_until(total)
        for future in futures:
            future.result()
        if self.browsers:
            self.browsers.join()
            self.errors += self.browsers.errors
            self.thrown["real tills in Chromium"] = len(self.browsers.tills)
            self.thrown["Chromium tills offline"] = self.browsers.offline_spells
        self._playing = False
        sweeps.join()
        self.play_seconds = self.clock.elapsed()
        self.recorded_in_play = sum(phone.acknowledged for phone in self.phones.values())

    def _guarded(self, action: planning.Action) -> None:
        try:
            self._do(action)
        except Exception as error:
            self.errors.append(f"{action.kind} {action.booth}: {error!r}")

    def _do(self, action: planning.Action) -> None:
        kind = action.kind
        if kind == "sale":
            phone = self.phones[(action.booth, action.phone)]
            with phone.lock:
                phone.sell(**action.args)
            return
        self.thrown[_FAULTS.get(kind, kind)] += 1
        if kind == "offline":
            self.phones[(action.booth, action.phone)].online = False
        elif kind == "online":
            phone = self.phones[(action.booth, action.phone)]
            phone.online = True
            with phone.lock:
                phone.refresh_catalogue()
                phone.flush()
        elif kind in ("price", "withdraw"):
            self._change_product(kind, self.booths[action.booth], action.args)
        elif kind == "printer":
            self.printers[action.booth].state = action.args["state"]
        elif kind == "kill" and self.local:
            self.local.kill(action.args["host"])
        elif kind == "backup" and self.local:
            self.local.backup()
        elif kind == "close":
            self.close_day(self.clock.dates[action.args["day"]].isoformat())

    def _change_product(self, kind: str, booth: Booth, args: dict) -> None:
        index = args["product"] % len(booth.product_ids)
        path = f"/api/v1/products/{booth.product_ids[index]}"
        if kind == "withdraw":
            booth.withdrawn_at[index] = datetime.now(UTC)
            body: dict = {"active": False}
        else:
            current = self.as_organiser("GET", path).json()
            price = int(current["unit_price"].replace(".", "")) * (100 + args["percent"]) // 100
            body = {"unit_price": format_money(price)}
        answer = self.as_organiser("PATCH", path, body)
        if answer.status != 200:
            self.errors.append(f"{kind} of product {path}: {answer.status} {answer.body[:200]!r}")

    def as_organiser(self, method: str, path: str, body=None):
        """An organiser's request, tried again while the server is down (killed, restarting):
        the organiser waits and tries again rather than give up."""
        deadline = time.monotonic() + 60
        while True:
            try:
                return self.organiser.request(method, path, body)
            except Unreachable:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def _sweep(self) -> None:
        """What tills do by themselves: send what waits, print what is due, every few
        seconds of play."""
        while self._playing:
            time.sleep(max(self.settings.day_seconds / 8, 1.0))
            self.sweep()

    def sweep(self) -> None:
        def one(phone: Phone) -> None:
            if phone.online and phone.lock.acquire(blocking=False):
                try:
                    if phone.waiting() or phone.booth.counter is not None:
                        phone.flush()
                finally:
                    phone.lock.release()

        list(self.pool.map(one, self.phones.values()))

    # ---- closings ----

    def close_day(self, day: str) -> None:
        """The organiser closes the day booth by booth with the cash each counted."""
        cash = verdict.drawers(self.folder / "truth", day)

        def one(booth: Booth) -> None:
            body = {"date": day, "cash_counted": format_money(cash.get(booth.plan.booth, 0))}
            try:
                answer = self.organiser.request(
                    "POST", f"/api/v1/exhibitors/{booth.exhibitor_id}/closings", body
                )
            except Unreachable:
                answer = None
            if answer is None or answer.status not in (201, 409):
                self.errors.append(f"closing {booth.plan.booth} {day}: {answer!r}")

        list(self.pool.map(one, self.booths.values()))
        self.closed.add(day)

    # ---- after the fair ----

    def bring_back(self) -> None:
        """Every phone online again and its outbox sent, then every receipt due printed."""
        for phone in self.phones.values():
            phone.online = True
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            list(self.pool.map(lambda p: (p.refresh_catalogue(), p.flush()), self.phones.values()))
            if not any(phone.waiting() for phone in self.phones.values()):
                break
            time.sleep(1)
        for booth_printer in self.printers.values():
            booth_printer.state = "ready"

    def close_the_rest(self) -> None:
        today = datetime.now(self.clock.zone).date()
        for day in self.clock.dates:
            if day.isoformat() not in self.closed and day <= today:
                self.close_day(day.isoformat())

    def counters(self) -> dict[str, Counter]:
        """What came out of each booth's printer: the network ones the drill holds and the
        ones its phones print to."""
        out = {booth: printer.counter for booth, printer in self.printers.items()}
        out.update({code: b.counter for code, b in self.booths.items() if b.counter is not None})
        return out

    def wait_for_receipts(self) -> None:
        """Until no receipt is missing (one printed twice will not mend by waiting), for as
        long as receipts keep coming out: a fair played in minutes leaves the printers a
        queue a real day would not. Stops after DRAIN_SECONDS without a receipt more."""
        started = last_progress = time.monotonic()
        left = len(verdict.receipts_due(self, missing_only=True))
        self.waiting_at_close = left
        while left and time.monotonic() - last_progress < DRAIN_SECONDS:
            self.sweep()
            time.sleep(2)
            now_left = len(verdict.receipts_due(self, missing_only=True))
            if now_left < left:
                last_progress = time.monotonic()
            left = now_left
        self.drain_seconds = time.monotonic() - started


_FAULTS = {
    "offline": "phone offline",
    "online": "phone back online",
    "price": "price changed",
    "withdraw": "product withdrawn",
    "printer": "printer out of paper, off or back",
    "kill": "server killed (SIGKILL)",
    "backup": "backup taken while selling",
    "close": "day closed",
}
