"""A booth's phone as the till behaves: it sells whether or not the server answers, takes
an order or a buyer's contact now and then, keeps what is not yet acknowledged in its
outbox, sends it again with the same Idempotency-Key and its clock in ``Device-Clock``,
says what waits in its heartbeat, and prints the booth's receipts when the printer is on
the phone."""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pos.contacts.models import CONTACT_KINDS
from pos.core.money import format_money, format_quantity, line_amount
from pos.drill.client import Client, Unreachable
from pos.drill.clock import FairClock
from pos.drill.plan import (
    BUYERS,
    CONTACT_NAMES,
    PAYMENT_MIX,
    VOID_REASONS,
    BoothPlan,
    PhonePlan,
    basket,
)
from pos.drill.printers import Counter
from pos.drill.truth import TruthLog

WRITE_TRIES = 3  # the till's apiOnce
LOST_ANSWER = 0.02  # the request reached the server, its answer did not reach the phone
DOUBLE_TAP = 0.02  # the same sale sent twice at once
VOID = 0.02
REPRINT = 0.02
ORDER = 0.04  # the buyer orders more, to be delivered after the fair
CONTACT = 0.03  # a shop, a hotel or an exporter leaves its number
# What the outbox sends, and the answer that says it is recorded.
RECORDED = {"sale": 201, "order": 201, "contact": 201, "void": 200, "reprint": 202}


@dataclass
class Booth:
    """What the booth's phones share: the exhibitor, its products as the server has them,
    and what the organiser told the booth (a product withdrawn from sale)."""

    plan: BoothPlan
    exhibitor_id: int
    product_ids: list[int]
    withdrawn_at: dict[int, datetime] = field(default_factory=dict)  # product index: when
    counter: Counter | None = None  # its receipts, when they print on the phone


@dataclass
class Pending:
    key: str
    path: str
    body: dict
    kind: str  # sale, order or contact (the outbox's); void, reprint
    sale_key: str  # the sale a void or reprint is of; else the item's own key


class Phone:
    def __init__(
        self,
        plan: PhonePlan,
        booth: Booth,
        client: Client,
        truth: TruthLog,
        clock: FairClock,
        prefer: int,
    ):
        self.plan, self.booth, self.client, self.truth, self.clock = (
            plan,
            booth,
            client,
            truth,
            clock,
        )
        self.prefer = prefer  # the host this phone's connection goes to first
        self.online = True
        self.outbox: list[Pending] = []
        self.prices: dict[int, int] = {}  # product index: the price the phone shows
        self.active: dict[int, bool] = {}
        self.lock = threading.Lock()  # one cashier: one thing at a time on this phone
        self._outbox_lock = threading.Lock()
        self._print_lock = threading.Lock()  # the till's Web Lock: one tab prints at a time
        self.unsaid: list[int] = []  # jobs printed whose report the server has not had
        self.catalogue_at: str | None = None  # the catalogue's last change, as last heard
        self.sale_ids: dict[str, int] = {}  # sale key: the server's id, for voids and reprints
        self.sent = self.sold = self.acknowledged = self.baskets = 0
        self.stats = {"lost_answers": 0, "double_taps": 0, "retries": 0, "unreachable": 0}

    # ---- the clock and the server ----

    def device_now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.plan.skew)

    def _send(self, method: str, path: str, body=None, key: str | None = None):
        headers = {"Device-Clock": self.device_now().isoformat()}
        if key:
            headers["Idempotency-Key"] = key
        return self.client.request(method, path, body, headers, prefer=self.prefer)

    def refresh_catalogue(self) -> None:
        """What a till does on coming back: read the booth's products again."""
        try:
            answer = self._send("GET", f"/api/v1/exhibitors/{self.booth.exhibitor_id}/products")
        except Unreachable:
            return  # the prices it has stay; it reads them again next time
        if answer.status == 200:
            by_id = {item["id"]: item for item in answer.json()["items"]}
            for index, product_id in enumerate(self.booth.product_ids):
                item = by_id[product_id]
                self.prices[index] = _centimes(item["unit_price"])
                self.active[index] = item.get("active", True)

    # ---- at the booth ----

    def sell(self, day: int, fraction: float, seed: float) -> None:
        rng = random.Random(seed)
        moment = self.clock.moment(day, fraction)
        products = self.booth.plan.products
        # The organiser told the booth: a product withdrawn is not sold after it.
        lines_planned = [
            line
            for line in basket(rng, products)
            if self.active.get(line[0], True)
            and not self.booth.withdrawn_at.get(line[0], moment + timedelta(1)) <= moment
        ]
        if not lines_planned:
            return
        lines, total = [], 0
        for index, quantity, agreed in lines_planned:
            price = agreed if agreed is not None else self.prices[index]
            amount = line_amount(quantity, price)
            discount = 500 if amount > 5000 and rng.random() < 0.1 else 0
            total += amount - discount
            lines.append(
                {
                    "product_id": self.booth.product_ids[index],
                    "quantity": quantity,
                    "unit_price": price,
                    "discount": discount,
                }
            )
        payments = _payments(rng, total)
        key = f"drill-{uuid.uuid4()}"
        self.truth.write(
            "sale",
            key=key,
            booth=self.booth.plan.booth,
            phone=self.plan.name,
            moment=moment.isoformat(),
            date=self.clock.local_date(moment).isoformat(),
            lines=lines,
            payments=payments,
            total=total,
        )
        body = {
            "lines": [
                {
                    "product_id": line["product_id"],
                    "quantity": format_quantity(line["quantity"]),
                    "unit_price": format_money(line["unit_price"]),
                    **({"discount": format_money(line["discount"])} if line["discount"] else {}),
                }
                for line in lines
            ],
            "payments": [
                {
                    "method": p["method"],
                    "amount": format_money(p["amount"]),
                    **({"tendered": format_money(p["tendered"])} if "tendered" in p else {}),
                }
                for p in payments
            ],
            # The phone's clock at the moment of the sale, however wrong it is.
            "sold_at": (moment + timedelta(seconds=self.plan.skew)).isoformat(),
        }
        self._keep(
            Pending(key, f"/api/v1/exhibitors/{self.booth.exhibitor_id}/sales", body, "sale", key)
        )
        if self.online:
            # The phone meant for every fault taps its first sale online twice.
            first_tap = self.plan.every_fault and not self.stats["double_taps"]
            if first_tap or rng.random() < DOUBLE_TAP:
                self.stats["double_taps"] += 1
                tap = threading.Thread(target=self.flush)
                tap.start()
                self.flush()
                tap.join()
            else:
                self.flush()
            self._afterwards(rng, key)
        self._takes_note(rng, moment, lines)

    def _keep(self, pending: Pending) -> None:
        with self._outbox_lock:
            self.outbox.append(pending)

    def _takes_note(self, rng: random.Random, moment: datetime, lines: list[dict]) -> None:
        """Now and then the buyer orders more for later, or leaves a number: recorded on
        the phone and sent through the outbox as sales are. The phone meant for every fault
        takes an order online and one offline, and a contact."""
        self.baskets += 1
        roll = rng.random()
        if self.plan.every_fault and self.baskets in (1, 2, 5):
            roll = ORDER + CONTACT / 2 if self.baskets == 2 else ORDER / 2
        made = (moment + timedelta(seconds=self.plan.skew)).isoformat()
        key = f"drill-{uuid.uuid4()}"
        booth = self.booth.exhibitor_id
        if roll < ORDER:
            ordered, total = [], 0
            for line in lines:
                quantity, price = line["quantity"] * 10, line["unit_price"]
                discount = 1000 if rng.random() < 0.3 else 0  # 10.00 off, agreed
                total += line_amount(quantity, price) - discount
                ordered.append(
                    {
                        "product_id": line["product_id"],
                        "quantity": format_quantity(quantity),
                        "unit_price": format_money(price),
                        "discount": format_money(discount),
                    }
                )
            body = {
                "buyer_name": rng.choice(BUYERS),
                "buyer_phone": "+212 6 61 23 45 67",
                "delivery_date": (self.clock.local_date(moment) + timedelta(30)).isoformat(),
                "note": key,  # how the verdict finds it in the books
                "lines": ordered,
                "made_at": made,
            }
            self.truth.write("order", key=key, booth=self.booth.plan.booth, total=total)
            self._keep(Pending(key, f"/api/v1/exhibitors/{booth}/orders", body, "order", key))
        elif roll < ORDER + CONTACT:
            body = {
                "kind": rng.choice(CONTACT_KINDS),
                "name": rng.choice(CONTACT_NAMES),
                "phone": "+212 5 22 33 44 55",
                "interest": key,
                "made_at": made,
            }
            self.truth.write("contact", key=key, booth=self.booth.plan.booth)
            self._keep(Pending(key, f"/api/v1/exhibitors/{booth}/contacts", body, "contact", key))
        else:
            return
        self.flush()

    def _afterwards(self, rng: random.Random, key: str) -> None:
        """Now and then the buyer changes their mind, or wants the receipt again."""
        if key not in self.sale_ids:
            return
        self.sold += 1
        roll = rng.random()
        if self.plan.every_fault and self.sold in (2, 3):
            roll = VOID / 2 if self.sold == 2 else VOID + REPRINT / 2
        if roll < VOID:
            body = {"reason": rng.choice(VOID_REASONS)}
            self._once(f"/api/v1/sales/{self.sale_ids[key]}/void", "void", key, body)
        elif roll < VOID + REPRINT:
            self._once(f"/api/v1/sales/{self.sale_ids[key]}/reprint", "reprint", key, {})

    def _once(self, path: str, kind: str, sale_key: str, body: dict) -> None:
        """A void or a reprint as the till makes one (``apiOnce``): online only, tried up to
        3 times with one key; what the member is shown is what happened at the booth."""
        pending = Pending(f"drill-{uuid.uuid4()}", path, body, kind, sale_key)
        for attempt in range(1, WRITE_TRIES + 1):
            try:
                answer = self._send("POST", path, body, pending.key)
            except Unreachable:
                answer = None
            lost = answer is not None and random.random() < LOST_ANSWER
            self.stats["lost_answers"] += lost
            if answer is not None and answer.status < 500 and not lost:
                if self._settle(pending, answer):
                    self._record(pending, answer)
                return
            if attempt < WRITE_TRIES:
                time.sleep(attempt)
        self.truth.write("unanswered", key=sale_key, write=kind)  # told: no answer, try later

    # ---- the outbox ----

    def flush(self) -> None:
        """Send what waits, oldest first, from every tab open on the phone at once."""
        if not self.online:
            return
        if self.plan.tabs > 1:
            tabs = [threading.Thread(target=self._flush_tab) for _ in range(self.plan.tabs - 1)]
            for tab in tabs:
                tab.start()
            self._flush_tab()
            for tab in tabs:
                tab.join()
        else:
            self._flush_tab()
        self.heartbeat()
        self.print_receipts()

    def _flush_tab(self) -> None:
        while self.online:
            with self._outbox_lock:
                if not self.outbox:
                    return
                pending = self.outbox[0]
            if not self._deliver(pending):
                return

    def _deliver(self, pending: Pending) -> bool:
        """Send one; True when it is answered for good and the next may go."""
        try:
            answer = self._send("POST", pending.path, pending.body, pending.key)
        except Unreachable:
            self.stats["unreachable"] += 1
            return False
        self.sent += 1
        if random.random() < LOST_ANSWER or (self.plan.every_fault and self.sent == 2):
            self.stats["lost_answers"] += 1
            return False  # the server did it; the phone never heard, and will send again
        if answer.status == 409:
            self.stats["retries"] += 1
            return False  # the same key still in flight (another tab): once it is done
        done = self._settle(pending, answer)
        with self._outbox_lock:
            if self.outbox and self.outbox[0] is pending:
                self.outbox.pop(0)
                if done:
                    self._record(pending, answer)
        return True

    def _settle(self, pending: Pending, answer) -> bool:
        """Whether the answer is the write done; a refusal is written to the truth too."""
        if answer.status == RECORDED[pending.kind]:
            return True
        if pending.kind == "void" and answer.status == 409:
            # The member is told the day is closed: the sale stands, nothing is given back.
            self.truth.write("declined", key=pending.sale_key, write=pending.kind)
            return False
        self.truth.write(
            "refused",
            key=pending.sale_key,
            write=pending.kind,
            status=answer.status,
            problem=answer.body.decode(errors="replace")[:500],
        )
        return False

    def _record(self, pending: Pending, answer) -> None:
        if pending.kind == "sale":
            sale = answer.json()
            self.sale_ids[pending.key] = sale["id"]
            self.acknowledged += 1
            self.truth.write(
                "recorded", key=pending.key, receipt_number=sale["receipt_number"], id=sale["id"]
            )
        elif pending.kind == "void":
            self.truth.write("voided", key=pending.sale_key)
        elif pending.kind == "reprint":
            self.truth.write("reprinted", key=pending.sale_key)
        else:
            self.truth.write("taken", key=pending.key, id=answer.json()["id"])

    def heartbeat(self) -> None:
        with self._outbox_lock:
            waiting = [p for p in self.outbox if p.kind == "sale"]
        oldest = None
        if waiting:
            oldest = waiting[0].body["sold_at"]
        try:
            answer = self._send(
                "POST",
                "/api/v1/devices/heartbeat",
                {"outbox": len(waiting), "oldest_waiting_at": oldest, "refused": 0},
            )
        except Unreachable:
            return
        # As the till does: the booth's products changed since it read them, read again.
        said = answer.json() if answer.status == 200 else None
        changed = (said or {}).get("catalogue_changed_at")
        if changed and changed != self.catalogue_at:
            if self.catalogue_at is not None:
                self.refresh_catalogue()
            self.catalogue_at = changed

    # ---- printing on the phone ----

    def print_receipts(self) -> None:
        """As the till does: what it printed but could not say is said first, then the
        booth's waiting receipts are claimed, printed and reported."""
        counter = self.booth.counter
        if counter is None or not self.online:
            return
        with self._print_lock:
            try:
                self._say_unsaid()
                answer = self._send(
                    "POST", f"/api/v1/exhibitors/{self.booth.exhibitor_id}/print-jobs/claim", {}
                )
                if answer.status != 200:
                    return
                for job in answer.json()["items"]:
                    data = self._send("GET", f"/api/v1/print-jobs/{job['id']}/escpos")
                    if data.status != 200:
                        continue
                    counter.take(data.body)
                    self.unsaid.append(job["id"])
                    self._say_unsaid()
            except Unreachable:
                return

    def _say_unsaid(self) -> None:
        while self.unsaid:
            self._send("POST", f"/api/v1/print-jobs/{self.unsaid[0]}/result", {"state": "printed"})
            self.unsaid.pop(0)

    def waiting(self) -> int:
        with self._outbox_lock:
            return len(self.outbox)


def _centimes(text: str) -> int:
    whole, _, cents = text.partition(".")
    return int(whole) * 100 + int(cents.ljust(2, "0"))


def _payments(rng: random.Random, total: int) -> list[dict]:
    """Cash with change, card or mobile; now and then part cash, part card."""
    if total == 0:
        return []
    method = rng.choice(PAYMENT_MIX)
    if method == "cash" and total > 20_000 and rng.random() < 0.1:
        cash = total // 2
        return [
            {"method": "cash", "amount": cash, "tendered": cash},
            {"method": "card", "amount": total - cash},
        ]
    if method == "cash":
        # The exact sum now and then; mostly a round note or two, and change given.
        tendered = total if rng.random() < 0.3 else (total // 5_000 + 1) * 5_000
        return [{"method": "cash", "amount": total, "tendered": tendered}]
    return [{"method": method, "amount": total}]
