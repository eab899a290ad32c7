"""What the drill throws at the fair, all drawn from one seed: the booths and their
catalogues, the phones, each sale's moment and basket, and the faults' schedule."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pos.demo.fair import FORMS, HOURS, NAMES, PROVINCES, SECTORS, WEIGHTS

LAST_DAY_SHARE = 0.2  # at Indian Saras melas the last day made about a fifth of the total
OPEN_PRICE_SECTORS = {"Tapis", "Sellerie"}  # carpets and saddles are priced with the buyer
PAYMENT_MIX = ["cash"] * 14 + ["card"] * 3 + ["mobile"] * 3
VOID_REASONS = ["Erreur de saisie", "خطأ في الإدخال", "Client a changé d'avis"]
# Who orders for later, and who leaves a number, as the cashiers type them.
BUYERS = ["Hôtel Kasbah Tadla", "Riad Zitoun", "مطعم الأطلس"]
CONTACT_NAMES = ["Atlas Export SARL", "Épicerie fine Agdal", "متجر المنتوجات المحلية"]
SKEWS = [-2 * 86400, -5 * 3600, 3 * 3600, 26 * 3600]  # phone clocks days or hours wrong


@dataclass
class ProductPlan:
    name: str
    name_ar: str
    unit: str
    price: int  # centimes
    open_price: bool = False


@dataclass
class PhonePlan:
    booth: str
    number: int
    skew: int = 0  # seconds the phone's clock is off
    tabs: int = 1  # a second tab of the till open on the same phone
    # Loses an answer, voids a sale and reprints one early on, so a small fair has each.
    every_fault: bool = False

    @property
    def name(self) -> str:
        return f"{self.booth}-{self.number}"


@dataclass
class BoothPlan:
    booth: str
    name: str
    name_ar: str
    legal_form: str
    province: str
    sector: str
    products: list[ProductPlan]
    phones: list[PhonePlan]
    prints_on_phone: bool = False


@dataclass(order=True)
class Action:
    at: float  # seconds of play
    kind: str = field(compare=False)  # sale, offline, online, price, withdraw, printer, ...
    booth: str = field(compare=False, default="")
    phone: int = field(compare=False, default=0)
    args: dict = field(compare=False, default_factory=dict)


@dataclass
class Settings:
    booths: int = 320
    days: int = 6
    day_seconds: float = 60.0
    sales_per_booth_day: float = 6.0
    max_phones: int = 3
    seed: int = 2026
    kills: int = 2  # the server killed with SIGKILL (only where the drill started it)


def booths(settings: Settings, rng: random.Random) -> list[BoothPlan]:
    sectors = list(SECTORS)
    forms = [form for form, weight in FORMS.items() for _ in range(weight)]
    plans = []
    for n in range(settings.booths):
        code = f"D{n + 1:03d}"
        sector = sectors[n % len(sectors)]
        name, name_ar = NAMES[n % len(NAMES)]
        products = [
            ProductPlan(f, a, unit, price, open_price=sector in OPEN_PRICE_SECTORS and i == 0)
            for i, (f, a, unit, price) in enumerate(SECTORS[sector])
        ]
        phones = [
            PhonePlan(code, p + 1, skew=rng.choice(SKEWS) if rng.random() < 0.1 else 0)
            for p in range(rng.randint(1, settings.max_phones))
        ]
        plans.append(
            BoothPlan(
                booth=code,
                name=f"Coopérative {name} {n + 1}",
                name_ar=f"تعاونية {name_ar} {n + 1}",
                legal_form=rng.choice(forms),
                province=rng.choice(PROVINCES),
                sector=sector,
                products=products,
                phones=phones,
                prints_on_phone=n % 4 == 3,
            )
        )
    # Every fault at least once, however small the fair: the first booth's first phone has
    # its clock two days behind, the second booth's a second tab open.
    plans[0].phones[0].skew = SKEWS[0]
    plans[0].phones[0].every_fault = True
    plans[min(1, len(plans) - 1)].phones[0].tabs = 2
    return plans


def day_weights(days: int) -> list[float]:
    """Each day's share of the fair's sales: growing through the week, the last the
    busiest, about a fifth of the whole when the fair is long enough to have that."""
    weights = [1.0 + 0.1 * day for day in range(days - 1)]
    last = max(
        weights[-1] * 1.3 if weights else 1.0, LAST_DAY_SHARE / (1 - LAST_DAY_SHARE) * sum(weights)
    )
    total = sum(weights) + last
    return [w / total * days for w in [*weights, last]]


def day_fraction(rng: random.Random) -> float:
    """Where in the opening hours a sale falls: a quiet morning, a busy evening."""
    hours, weights = zip(*HOURS.items(), strict=True)
    hour = rng.choices(hours, weights)[0]
    return min((hour - 10 + rng.random()) / 11, 0.999)


def basket(rng: random.Random, products: list[ProductPlan]) -> list[tuple[int, int, int | None]]:
    """1 to 3 lines: (product index, quantity in thousandths, open price or None)."""
    lines = []
    for index in rng.sample(range(len(products)), k=min(len(products), rng.randint(1, 3))):
        product = products[index]
        if product.unit in WEIGHTS:
            quantity = rng.choice(WEIGHTS[product.unit]) + rng.choice([0, 0, 250, 750])
        else:
            quantity = 1000 * (1 if product.price >= 50_000 else rng.randint(1, 3))
        price = None
        if product.open_price:  # agreed with the buyer, a round figure off the asking price
            price = product.price - rng.randint(0, 10) * 5_000
        lines.append((index, quantity, price))
    return lines


def schedule(settings: Settings, plans: list[BoothPlan], rng: random.Random) -> list[Action]:
    """Every sale and fault, at its second of play."""
    ds, days = settings.day_seconds, settings.days
    actions: list[Action] = []
    weights = day_weights(days)
    for plan in plans:
        for day in range(days):
            expected = settings.sales_per_booth_day * weights[day]
            count = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(count):
                fraction = day_fraction(rng)
                actions.append(
                    Action(
                        at=(day + fraction) * ds,
                        kind="sale",
                        booth=plan.booth,
                        phone=rng.randrange(len(plan.phones)),
                        args={"day": day, "fraction": fraction, "seed": rng.random()},
                    )
                )
        for phone in range(len(plan.phones)):
            # Wi-Fi gone for a while (the phone meant for every fault has its own outage)
            if rng.random() < 0.25 and not plan.phones[phone].every_fault:
                start = rng.uniform(0, days * ds * 0.85)
                length = rng.uniform(0.2, 1.2) * ds
                actions.append(Action(start, "offline", plan.booth, phone))
                actions.append(Action(start + length, "online", plan.booth, phone))
    _must_happen(settings, plans, actions, rng)
    return sorted(actions)


def _must_happen(settings: Settings, plans, actions: list[Action], rng: random.Random) -> None:
    """The faults a small fair might not draw at random, put on the schedule."""
    ds, days = settings.day_seconds, settings.days
    first = plans[0]
    # The phone meant for every fault sells early on the first day (a double tap, a lost
    # answer, a void, a reprint) and while it is offline (a sale for a closed day).
    for fraction in (0.1, 0.2, 0.3, 0.4, 0.8):
        args = {"day": 0, "fraction": fraction, "seed": rng.random()}
        actions.append(Action(fraction * ds, "sale", first.booth, 0, args))
    # A phone offline across the first day's closing: its sales are for a closed day.
    actions.append(Action(0.6 * ds, "offline", first.booth, 0))
    actions.append(Action(1.25 * ds, "online", first.booth, 0))
    # While it is offline its booth's price changes and a product it sold is withdrawn.
    actions.append(Action(0.7 * ds, "price", first.booth, args={"product": 1, "percent": 10}))
    actions.append(Action(0.95 * ds, "withdraw", first.booth, args={"product": 2}))
    for plan in rng.sample(plans, k=max(1, len(plans) // 20)):
        at = rng.uniform(0.1, days - 0.5) * ds
        actions.append(Action(at, "price", plan.booth, args={"product": 0, "percent": 5}))
    # Printers out of paper and switched off for a while, on booths printing from the server.
    on_server = [plan for plan in plans if not plan.prints_on_phone] or plans
    for n, plan in enumerate(rng.sample(on_server, k=max(2, len(on_server) // 10))):
        at = rng.uniform(0.1, days - 0.6) * ds
        state = ("paper_out", "offline")[n % 2]
        actions.append(Action(at, "printer", plan.booth, args={"state": state}))
        actions.append(Action(at + 0.3 * ds, "printer", plan.booth, args={"state": "ready"}))
    total = days * ds
    for n in range(settings.kills):
        actions.append(Action(total * (n + 1) / (settings.kills + 1.5), "kill", args={"host": n}))
    actions.append(Action(total * 0.5, "backup"))
    for day in range(days - 1):
        actions.append(Action((day + 1.05) * ds, "close", args={"day": day}))
