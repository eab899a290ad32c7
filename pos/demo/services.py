"""A small demo fair, so that a fresh ``make run`` has something to sell."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from pos.auth.services import create_user, organisation_named
from pos.catalogue.services import create_product
from pos.core.db import utcnow
from pos.core.money import parse_money
from pos.events.models import Event
from pos.events.services import create_event
from pos.exhibitors.models import Exhibitor
from pos.exhibitors.services import create_exhibitor
from pos.extensions import db
from pos.printing.services import set_printer

DEMO_ORGANISER_EMAIL = "organiser@demo.tadamon.ma"
# The organisation whose fair the demo is, and its organiser's.
DEMO_ORGANISATION = "Région Béni Mellal-Khénifra"
DEMO_ORGANISER_PASSWORD = "tadamon-demo-2026"

_EXHIBITORS = [
    (
        "A01",
        "Coopérative Imilchil – Miel et dérivés",
        "تعاونية إملشيل – العسل ومشتقاته",
        "cooperative",
        "Khénifra",
        "Miel et dérivés",
        113,
        113,
        [
            ("Miel de thym", "عسل الزعتر", "kg", "250.00", False),
            ("Pollen", "حبوب اللقاح", "kg", "180.00", False),
            ("Pot de miel 500 g", "علبة عسل 500 غ", "piece", "130.00", False),
        ],
    ),
    (
        "A02",
        "Coopérative Tamaynoute – Safran",
        "تعاونية تامينوت – الزعفران",
        "cooperative",
        "Azilal",
        "Safran",
        76,
        76,
        [
            ("Safran en filaments", "زعفران حر", "g", "35.00", False),
            ("Safran 1 g", "علبة زعفران 1 غ", "piece", "40.00", False),
        ],
    ),
    (
        "A03",
        "Coopérative Ighrem – Tapis",
        "تعاونية إغرم – الزرابي",
        "cooperative",
        "Azilal",
        "Tapis",
        118,
        21,
        [
            ("Hanbel", "حنبل", "piece", "1200.00", True),
            ("Tapis Zayane 2x3 m", "زربية زيان", "piece", "4500.00", True),
        ],
    ),
    (
        "A04",
        "Association Al Baraka – Couscous",
        "جمعية البركة – الكسكس",
        "association",
        "Khouribga",
        "Couscous",
        87,
        87,
        [
            ("Berkoukes", "البركوكش", "kg", "45.00", False),
            ("Couscous d'orge", "كسكس الشعير", "kg", "40.00", False),
        ],
    ),
    (
        "A05",
        "Coopérative Annajah – Dinanderie",
        "تعاونية النجاح – الأدوات النحاسية",
        "cooperative",
        "Béni Mellal",
        "Dinanderie",
        113,
        113,
        [
            ("Théière en cuivre", "براد نحاسي", "piece", "380.00", False),
            ("Plateau en cuivre", "صينية نحاسية", "piece", "650.00", False),
        ],
    ),
]


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def load_small_demo() -> Event:
    """One fair running today, five booths with bilingual catalogues, an organiser."""
    today = utcnow().date()
    event = create_event(
        {
            "name": "3e Salon régional de l'ESS – Béni Mellal-Khénifra",
            "name_ar": "المعرض الجهوي الثالث للاقتصاد الاجتماعي والتضامني – بني ملال خنيفرة",
            "starts_on": today - timedelta(days=1),
            "ends_on": today + timedelta(days=4),
            "timezone": "Africa/Casablanca",
            "currency": "MAD",
        },
        organisation_named(DEMO_ORGANISATION).id,
    )
    for booth, name, name_ar, form, province, sector, members, women, products in _EXHIBITORS:
        exhibitor = create_exhibitor(
            event,
            {
                "booth": booth,
                "name": name,
                "name_ar": name_ar,
                "legal_form": form,
                "province": province,
                "sector": sector,
                "members": members,
                "women_members": women,
            },
        )
        for p_name, p_name_ar, unit, price, open_price in products:
            create_product(
                exhibitor,
                {
                    "name": p_name,
                    "name_ar": p_name_ar,
                    "unit": unit,
                    "unit_price": parse_money(price),
                    "open_price": open_price,
                },
            )
    create_user(
        DEMO_ORGANISER_EMAIL, DEMO_ORGANISER_PASSWORD, "organiser", organisation=DEMO_ORGANISATION
    )
    return event


def connect_virtual_printers(event: Event, folder: str) -> None:
    """Every booth prints into a folder: each receipt lands there as a PNG to look at."""
    exhibitors = db.session.scalars(sa.select(Exhibitor).where(Exhibitor.event_id == event.id))
    for exhibitor in exhibitors:
        set_printer(
            exhibitor,
            {
                "connection": f"file://{folder}/{exhibitor.booth}",
                "profile": "TM-T20II",
                "paper_width_mm": 80,
            },
        )
