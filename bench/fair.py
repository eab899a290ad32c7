"""A generated fair for benchmarks: exhibitors with catalogues and bulk-written sales."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pos.catalogue.services import create_product
from pos.demo.bulk import PlannedSale, write_sales
from pos.events.services import create_event
from pos.exhibitors.services import create_exhibitor
from pos.extensions import db

PRODUCTS = [
    ("Miel de thym", "عسل الزعتر", "kg", 25000),
    ("Safran en filaments", "زعفران حر", "g", 3500),
    ("Couscous d'orge", "كسكس الشعير", "kg", 4000),
    ("Tajine en terre", "طاجين طيني", "piece", 8000),
    ("Huile d'olive", "زيت الزيتون", "l", 9000),
    ("Théière en cuivre", "براد نحاسي", "piece", 38000),
]


def build(exhibitors: int, sales_per_exhibitor: int, *, seed: int = 7, days: int = 6) -> int:
    """Write a fair into the current app's database; returns the number of sale lines."""
    rng = random.Random(seed)
    start = datetime.now(UTC).date() - timedelta(days=days - 1)
    event = create_event(
        {
            "name": "Salon bench",
            "name_ar": "معرض",
            "starts_on": start,
            "ends_on": start + timedelta(days=days - 1),
            "timezone": "Africa/Casablanca",
            "currency": "MAD",
        }
    )
    zone = ZoneInfo(event.timezone)
    line_count = 0
    for number in range(exhibitors):
        exhibitor = create_exhibitor(
            event,
            {
                "booth": f"B{number:03d}",
                "name": f"Coopérative {number}",
                "name_ar": f"تعاونية {number}",
                "legal_form": rng.choice(
                    ["cooperative", "association", "mutual", "social_enterprise"]
                ),
                "province": rng.choice(["Khénifra", "Azilal", "Béni Mellal", "Khouribga"]),
                "sector": rng.choice(["Miel", "Safran", "Tapis", "Couscous"]),
                "members": 40,
                "women_members": rng.randint(0, 40),
            },
        )
        products = [
            create_product(exhibitor, {"name": n, "name_ar": a, "unit": u, "unit_price": p})
            for n, a, u, p in PRODUCTS
        ]
        planned = []
        for index in range(sales_per_exhibitor):
            day = start + timedelta(days=index * days // sales_per_exhibitor)
            moment = datetime.combine(day, time(9), zone) + timedelta(
                seconds=rng.randint(0, 11 * 3600)
            )
            lines = [
                (product, 1000 if product.unit == "piece" else rng.choice([250, 500, 1000]))
                for product in rng.sample(products, rng.randint(1, 3))
            ]
            line_count += len(lines)
            planned.append(
                PlannedSale(
                    moment, lines, rng.choice(["cash", "cash", "card"]), voided=rng.random() < 0.02
                )
            )
        planned.sort(key=lambda sale: sale.sold_at)
        write_sales(exhibitor, planned)
        db.session.commit()
    return line_count
