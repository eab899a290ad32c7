"""Real tills in Chromium taking part in the drill: paired like a member's phone, selling on
the fair's last day (played live, so their own clocks are right), going offline and coming
back with the other phones. What each sold is taken from the till itself (the sale in its
outbox, the answer it got), never from the server's books.

Playwright's sync API belongs to the thread that started it: everything here runs in one
thread of its own, which the play starts and joins.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from pathlib import Path

from pos.core.money import parse_money, parse_quantity
from pos.drill.client import Client
from pos.drill.clock import FairClock
from pos.drill.phone import Booth
from pos.drill.truth import TruthLog

CHROMIUM = os.environ.get("POS_DRILL_CHROMIUM", "/usr/bin/chromium")
PHONE_SCREEN = {"width": 390, "height": 844}
# The sale the till just paid, as it keeps it in its outbox (key, body): read from the page's
# own modules.
_LAST_SALE = """async () => {
  const state = (await import('/till/static/state.js')).state;
  const store = await import('/till/static/store.js');
  const item = (await store.outboxItems()).find((i) => i.key === state.pending);
  return { key: state.pending, body: item ? item.body : null };
}"""
_WAITING = "async () => (await (await import('/till/static/store.js')).outboxAll()).length"


def unavailable() -> str | None:
    """Why no real till can take part here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (Debian package chromium, or POS_DRILL_CHROMIUM)"
    return None


class BrowserTills:
    """``count`` tills, one each on the first booths that sell a piece at a fixed price."""

    def __init__(self, count: int, bases: list[str], organiser: Client, folder: Path):
        self.count, self.base, self.organiser, self.folder = count, bases[0], organiser, folder
        self.errors: list[str] = []
        self.sold = self.offline_spells = 0
        self.tills: list[_Till] = []
        self._booths: list[Booth] = []
        self._start = threading.Event()
        self._thread: threading.Thread | None = None

    def take_part(self, booths: list[Booth], clock_of, play_seconds: float, last_day_at: float):
        """Start the tills' thread: pair now, sell from ``last_day_at`` seconds of play."""
        self._booths = [b for b in booths if _sellable(b) is not None][: self.count]
        self._thread = threading.Thread(
            target=self._run, args=(clock_of, play_seconds, last_day_at), daemon=True
        )
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _run(self, clock_of, play_seconds: float, last_day_at: float) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                self.tills = [self._pair(browser, b, n) for n, b in enumerate(self._booths)]
                clock: FairClock = clock_of()
                clock.wait_until(last_day_at)
                self._sell(self.tills, clock, play_seconds)
                for till in self.tills:
                    till.finish()
                browser.close()
        except Exception as error:
            self.errors.append(f"real tills in Chromium: {error!r}")

    def _pair(self, browser, booth: Booth, number: int) -> _Till:
        answer = self.organiser.request(
            "POST",
            f"/api/v1/exhibitors/{booth.exhibitor_id}/devices",
            {"label": f"Chromium {number + 1}"},
        )
        if answer.status != 201:
            raise RuntimeError(f"pairing code for {booth.plan.booth}: {answer.status}")
        # Its phone trusts the fair's authority, installed from /ca: as the client does here.
        context = browser.new_context(
            viewport=PHONE_SCREEN,
            base_url=self.base,
            ignore_https_errors=bool(self.organiser.authority),
        )
        page = context.new_page()
        page.goto("/lang/fr?next=/till/pair")
        page.fill("#code", answer.json()["pairing_code"])
        page.click("#pair")
        page.wait_for_url("**/till")
        page.wait_for_selector(".product")
        if booth.counter is not None:
            # The booth prints on its phones: the till asks once which printer is its own.
            # This one has none in reach (closed, its receipts wait for the other phones).
            page.wait_for_selector("#printer:not([hidden])")
            page.click("#printer-close")
        name = f"{booth.plan.booth}-chromium-{number + 1}"
        return _Till(booth, context, page, TruthLog(self.folder / "truth", name), name)

    def _sell(self, tills: list[_Till], clock: FairClock, play_seconds: float) -> None:
        """A sale on each till every few seconds; a spell offline in the middle."""
        start = clock.elapsed()
        span = max(play_seconds - start, 1.0)
        rounds = 8
        for n in range(rounds):
            if n == rounds // 3:
                for till in tills:
                    till.context.set_offline(True)
                self.offline_spells += len(tills)
            if n == 2 * rounds // 3:
                for till in tills:
                    till.back_online()
            for till in tills:
                till.sell(clock)
                self.sold += 1
            clock.wait_until(start + span * (n + 1) / rounds)


class _Till:
    def __init__(self, booth: Booth, context, page, truth: TruthLog, name: str):
        self.booth, self.context, self.page, self.truth, self.name = (
            booth,
            context,
            page,
            truth,
            name,
        )
        self.keys: set[str] = set()  # sales it made whose answer it has not had
        self.sent: dict[str, str] = {}  # each sale's body as it went out, by key
        self.answered: dict[str, str] = {}  # receipt numbers come before the sale is written
        page.on("request", self._sending)
        page.on("response", self._answered)

    def _sending(self, request) -> None:
        key = request.headers.get("idempotency-key")
        if request.method == "POST" and key and request.url.endswith("/sales"):
            self.sent.setdefault(key, request.post_data or "")

    def _answered(self, response) -> None:
        """The till's own answers: the receipt number of each sale it sent."""
        request = response.request
        key = request.headers.get("idempotency-key")
        if request.method == "POST" and key in self.sent and response.status == 201:
            number = response.json()["receipt_number"]
            if key in self.keys:
                self.truth.write("recorded", key=key, receipt_number=number)
                self.keys.discard(key)
            else:
                self.answered[key] = number

    def sell(self, clock: FairClock) -> None:
        page, chosen = self.page, _sellable(self.booth)
        if chosen is None:
            return
        product_id, unit = chosen
        page.click(f'.product[data-id="{product_id}"]')
        if unit != "piece":  # weighed: its quantity on the keypad, 1 kg (or g, or l)
            page.click('#keypad [data-key="1"]')
            page.click("#keypad-ok")
        page.click("#pay")
        page.click('[data-method="card"]')
        page.click("#confirm")
        made = page.evaluate(_LAST_SALE)
        for _ in range(100):  # sent and answered at once: its body as it went out
            if made["body"] is not None or made["key"] in self.sent:
                break
            page.wait_for_timeout(50)
        body = made["body"] or json.loads(self.sent[made["key"]])
        self._write(made["key"], body, clock)
        page.click("#new-sale")

    def _write(self, key: str, body: dict, clock: FairClock) -> None:
        moment = datetime.fromisoformat(body["sold_at"])
        lines = [
            {
                "product_id": line["product_id"],
                "quantity": parse_quantity(line["quantity"]),
                "unit_price": parse_money(line.get("unit_price", "0")),
                "discount": parse_money(line.get("discount", "0")),
            }
            for line in body["lines"]
        ]
        payments = [
            {"method": p["method"], "amount": parse_money(p["amount"])} for p in body["payments"]
        ]
        self.truth.write(
            "sale",
            key=key,
            booth=self.booth.plan.booth,
            phone=self.name,
            moment=moment.isoformat(),
            date=clock.local_date(moment).isoformat(),
            lines=lines,
            payments=payments,
            total=sum(p["amount"] for p in payments),
        )
        if key in self.answered:
            self.truth.write("recorded", key=key, receipt_number=self.answered.pop(key))
        else:
            self.keys.add(key)

    def back_online(self) -> None:
        self.context.set_offline(False)
        self.page.evaluate("window.dispatchEvent(new Event('online'))")

    def finish(self) -> None:
        """Online, and its outbox empty (a minute at most), then closed."""
        self.back_online()
        for _ in range(600):
            if not self.page.evaluate(_WAITING) and not self.keys:
                break
            self.page.wait_for_timeout(100)
        self.context.close()


def _sellable(booth: Booth) -> tuple[int, str] | None:
    """(id, unit) of a product of the booth at its set price, pieces first; not one the
    organiser has withdrawn (the booth was told)."""
    products = [
        (product.unit != "piece", booth.product_ids[index], product.unit)
        for index, product in enumerate(booth.plan.products)
        if not product.open_price and index not in booth.withdrawn_at
    ]
    return (min(products)[1], min(products)[2]) if products else None
