"""A realistic demo fair: 320 exhibitors from the sample's sectors, six days of sales in a
fair's rhythm (busier afternoons and weekend, a few voids, weighed goods, mostly cash).

Calibrated on published figures of Moroccan SSE fairs (Oujda 2019, Fès, Tétouan: roughly
35,000 to 60,000 DH per exhibitor over a fair): a booth sells mostly 20,000 to 80,000 DH over
the six days, in baskets of mostly 50 to 400 DH; carpets and saddles are rare and dear, and
make the few booths above 100,000 DH. Each booth has its phone, seen minutes ago (a few were
not seen today)."""

from __future__ import annotations

import math
import random
import statistics
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext

from pos.auth.services import organisation_named
from pos.catalogue.models import Product
from pos.core import labels
from pos.core.db import utcnow
from pos.demo.bulk import PlannedSale, write_sales
from pos.demo.services import DEMO_ORGANISATION
from pos.devices.models import Device
from pos.events.models import Event
from pos.events.services import create_event
from pos.exhibitors.services import create_exhibitor
from pos.extensions import db

SECTORS = {  # sector (its key, as files name it): products (fr, ar, unit, price in centimes)
    "Miel et dérivés": [
        ("Miel de thym", "عسل الزعتر", "kg", 25000),
        ("Pollen", "حبوب اللقاح", "kg", 18000),
        ("Pot de miel 500 g", "علبة عسل 500 غ", "piece", 13000),
    ],
    "Safran": [
        ("Safran en filaments", "زعفران حر", "g", 3500),
        ("Safran 1 g", "علبة زعفران 1 غ", "piece", 4000),
    ],
    "Huile d'olive": [
        ("Huile d'olive extra vierge", "زيت زيتون بكر ممتاز", "l", 9000),
        ("Olives noires", "زيتون أسود", "kg", 3500),
    ],
    "Couscous": [
        ("Couscous d'orge", "كسكس الشعير", "kg", 4000),
        ("Berkoukes", "البركوكش", "kg", 4500),
    ],
    "Plantes aromatiques et médicinales": [
        ("Thym", "الزعتر", "kg", 9000),
        ("Lavande séchée", "الخزامى", "kg", 12000),
        ("Huile essentielle de lavande", "زيت الخزامى", "piece", 7500),
    ],
    "Produits du terroir cuisinés": [
        ("Amlou", "أملو", "kg", 16000),
        ("Chebakia", "شباكية", "kg", 7000),
    ],
    "Tapis": [
        ("Hanbel", "حنبل", "piece", 120000),
        ("Tapis Zayane 2x3 m", "زربية زيان", "piece", 450000),
    ],
    "Tissage traditionnel": [
        ("Jellaba bzioua", "جلابة بزيوية", "piece", 240000),
        ("Haïk", "حايك", "piece", 90000),
    ],
    "Broderie et couture": [
        ("Caftan", "قفطان", "piece", 180000),
        ("Nappe brodée", "غطاء مطرز", "piece", 35000),
    ],
    "Poterie": [
        ("Tajine en terre", "طاجين طيني", "piece", 8000),
        ("Vase", "مزهرية", "piece", 15000),
    ],
    "Dinanderie": [
        ("Théière en cuivre", "براد نحاسي", "piece", 38000),
        ("Plateau en cuivre", "صينية نحاسية", "piece", 65000),
    ],
    "Sculpture sur bois": [("Boîte en cèdre", "علبة من الأرز", "piece", 22000)],
    "Sellerie": [
        ("Selle brodée", "سرج مطرز", "piece", 1200000),
        ("Bride", "لجام", "piece", 90000),
    ],
    "Marbre": [
        ("Mortier en marbre", "مهراس رخامي", "piece", 25000),
        ("Dessous de plat", "حامل أواني رخامي", "piece", 12000),
    ],
}
NAMES = [
    ("Tizi n'Isly", "تيزي نسلي"),
    ("Al Baraka", "البركة"),
    ("Al Mostakbal", "المستقبل"),
    ("Oum Errabia", "أم الربيع"),
    ("Ajdir", "أجدير"),
    ("Tighassaline", "تيغسالين"),
    ("Ighrem", "إغرم"),
    ("Imilchil", "إملشيل"),
    ("Al Wifaq", "الوفاق"),
    ("Ait Ishaq", "آيت إسحاق"),
    ("Afoulki", "أفولكي"),
    ("Tamaynoute", "تامينوت"),
    ("Zayane", "زيان"),
    ("Annajah", "النجاح"),
    ("Tagadirt", "تاكاديرت"),
    ("Assafae", "الصفاء"),
    ("Al Amal", "الأمل"),
    ("Warda", "الوردة"),
    ("Chaddat Ar-Rih", "شدة الريح"),
    ("Bzou", "بزو"),
]
FORMS = {"cooperative": 70, "association": 15, "mutual": 5, "social_enterprise": 10}
PROVINCES = list(labels.PROVINCES)
# Share of a day's sales in each opening hour: the afternoon is when visitors come.
HOURS = {10: 4, 11: 6, 12: 6, 13: 4, 14: 6, 15: 9, 16: 12, 17: 14, 18: 14, 19: 11, 20: 7}
METHODS = ["cash"] * 15 + ["card"] * 2 + ["mobile"] * 2 + ["transfer"]
WEIGHTS = {  # thousandths of the unit a buyer takes
    "kg": [500, 500, 1000, 1000, 1000, 1500, 2000],
    "g": [2000, 2000, 3000, 3000, 5000, 10000],
    "l": [1000, 1000, 2000, 3000],
}
CHEAP, DEAR = 10_000, 50_000  # under 100 DH a piece: two or three; from 500 DH: one
PIECES = {
    "cheap": [1000, 2000, 2000, 3000],
    "middle": [1000] * 8 + [2000] * 3,
    "dear": [1000],
}
# A booth's income over the six days, in centimes: the dear sectors make the tail.
TAIL_SECTORS = {"Tapis", "Sellerie"}
SHARE_NOT_SEEN = 0.04  # booths whose phone has not called in today
TIMEZONE = "Africa/Casablanca"
WEEKEND = 1.6  # Saturday's and Sunday's sales against a weekday's


def build_fair(
    exhibitors: int = 320,
    sales_per_day: int | None = None,
    seed: int = 2026,
    *,
    finished: bool = False,
) -> Event:
    """Six fair days ending three days from now, with sales up to this moment; or, with
    ``finished``, the six days up to the last Sunday before today, Tuesday to Sunday, with
    all their sales (the benchmarks: the same weekdays whatever day they run, so the same
    volume; a fair ending yesterday had one weekend day or two, 25 % fewer lines on a
    Sunday).
    ``sales_per_day``: every booth's sales on a weekday (the benchmarks' volume); by default
    each booth's own, from its income over the fair and its products' prices."""
    rng = random.Random(seed)
    today = utcnow().astimezone(ZoneInfo(TIMEZONE)).date()  # the fair's today, not UTC's
    if finished:
        last_sunday = today - timedelta(days=today.weekday() + 1)
        starts_on = last_sunday - timedelta(days=5)
    else:
        starts_on = today - timedelta(days=2)
    event = create_event(
        {
            "name": "3e Salon régional de l'ESS – Béni Mellal-Khénifra",
            "name_ar": "المعرض الجهوي الثالث للاقتصاد الاجتماعي والتضامني – بني ملال خنيفرة",
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=5),
            "timezone": TIMEZONE,
            "currency": "MAD",
        },
        organisation_named(DEMO_ORGANISATION).id,
    )
    zone = ZoneInfo(event.timezone)
    sectors = list(SECTORS.items())
    # The fair's days in weekdays' worth of sales: a booth's income spreads over them.
    fair_days = sum(
        _busyness(event.starts_on + timedelta(days=offset))
        for offset in range((event.ends_on - event.starts_on).days + 1)
    )
    words = {}  # an exhibitor's name says its legal form and sector, in both languages
    for language in ("fr", "ar"):
        with labels.language(language):
            words[language] = {
                **{key: labels.legal_form(key) for key in FORMS},
                **{key: labels.sector(key) for key in SECTORS},
            }
    now = utcnow()
    for number in range(exhibitors):
        sector, catalogue = sectors[number % len(sectors)]
        name, name_ar = NAMES[(number * 7) % len(NAMES)]
        form = rng.choices(list(FORMS), weights=list(FORMS.values()))[0]
        members = rng.randint(8, 120)
        exhibitor = create_exhibitor(
            event,
            {
                "booth": f"{'ABCDEFGH'[number // 40]}{number % 40 + 1:02d}",
                "name": f"{words['fr'][form]} {name} – {words['fr'][sector]}",
                "name_ar": f"{words['ar'][form]} {name_ar} – {words['ar'][sector]}",
                "legal_form": form,
                "province": PROVINCES[number % len(PROVINCES)],
                "sector": sector,
                "members": members,
                "women_members": rng.randint(0, members),
            },
        )
        products = []
        for p_name, p_name_ar, unit, price in catalogue:
            product = Product(
                exhibitor_id=exhibitor.id,
                name=p_name,
                name_ar=p_name_ar,
                unit=unit,
                unit_price=price,
                open_price=price >= 120000,
            )
            db.session.add(product)
            products.append(product)
        db.session.flush()
        daily = (
            sales_per_day
            if sales_per_day is not None
            else _daily_sales(rng, sector, products, fair_days)
        )
        write_sales(exhibitor, _plan(rng, event, zone, products, daily, now))
        _booth_phone(rng, exhibitor, now, zone, finished)
        db.session.commit()
    return event


def _weight(product: Product) -> float:
    """How often a product is in a basket: cheap goods often, dear ones rarely."""
    return (10_000 / product.unit_price) ** 0.8


def _quantities(product: Product) -> list[int]:
    if product.unit in WEIGHTS:
        return WEIGHTS[product.unit]
    if product.unit_price < CHEAP:
        return PIECES["cheap"]
    return PIECES["dear"] if product.unit_price >= DEAR else PIECES["middle"]


def _busyness(day) -> float:
    """A day's sales against a weekday's: the weekend brings more visitors."""
    return WEEKEND if day.weekday() >= 5 else 1.0


def _daily_sales(
    rng: random.Random, sector: str, products: list[Product], fair_days: float
) -> float:
    """A weekday's sales for this booth: its income over the fair (a draw around 40,000 DH,
    more for the dear sectors) over its mean basket."""
    if sector in TAIL_SECTORS:
        income = rng.uniform(60_000_00, 170_000_00)
    else:
        income = min(85_000_00, max(15_000_00, rng.lognormvariate(math.log(40_000_00), 0.4)))
    total = sum(_weight(p) for p in products)
    line = sum(
        _weight(p) / total * p.unit_price * statistics.mean(_quantities(p)) / 1000 for p in products
    )
    lines_per_sale = 1.25  # one product mostly, two sometimes
    return income / (line * lines_per_sale) / fair_days


def _booth_phone(rng: random.Random, exhibitor, now, zone, finished: bool) -> None:
    """The booth's phone, paired at the opening, last seen a few minutes ago (or, for a few,
    yesterday evening at the fair's closing: "not seen today" on the dashboard, whatever
    the hour the demo is loaded at)."""
    away = rng.random() < SHARE_NOT_SEEN or finished
    today = now.astimezone(zone).date()
    yesterday = today - timedelta(days=1)
    # Minutes ago, but today: loaded at 00:05, a phone seen at 23:58 was not seen today.
    seen = max(now - timedelta(minutes=rng.randint(0, 9)), datetime.combine(today, time(0), zone))
    db.session.add(
        Device(
            exhibitor_id=exhibitor.id,
            label=f"{gettext('Booth phone')} {exhibitor.booth}",
            paired_at=now - timedelta(days=2),
            last_seen_at=datetime.combine(yesterday, time(20), zone) if away else seen,
        )
    )


def _plan(rng, event, zone, products, sales_per_day, now) -> list[PlannedSale]:
    planned = []
    for offset in range((event.ends_on - event.starts_on).days + 1):
        day = event.starts_on + timedelta(days=offset)
        weekend = _busyness(day)
        count = max(0, round(rng.gauss(sales_per_day * weekend, sales_per_day * 0.25)))
        hours = rng.choices(list(HOURS), weights=list(HOURS.values()), k=count)
        for hour in hours:
            moment = datetime.combine(day, time(hour), zone) + timedelta(
                seconds=rng.randint(0, 3599)
            )
            if moment > now:
                continue
            lines = []
            size = min(len(products), rng.choice([1, 1, 1, 2]))
            chosen: set[Product] = set()
            while len(chosen) < size:
                chosen.add(rng.choices(products, weights=[_weight(p) for p in products])[0])
            for product in sorted(chosen, key=lambda p: p.id):
                lines.append((product, rng.choice(_quantities(product))))
            planned.append(
                PlannedSale(moment, lines, rng.choice(METHODS), voided=rng.random() < 0.02)
            )
    planned.sort(key=lambda sale: sale.sold_at)
    return planned
