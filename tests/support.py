"""Helpers shared by the tests: building a fair, calling the API, counting rows."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import flask_migrate
import sqlalchemy as sa

from pos import create_app
from pos.auth.services import create_user, organisation_named
from pos.auth.tokens import issue_token
from pos.catalogue.services import create_product
from pos.core.db import utcnow
from pos.core.money import parse_money
from pos.devices.services import create_device
from pos.events.services import create_event
from pos.exhibitors.services import create_exhibitor
from pos.extensions import db

ORGANISER_EMAIL = "organiser@example.ma"
ORGANISATION = "Région Béni Mellal-Khénifra"
ORGANISER_PASSWORD = "correct horse battery"


def migrate_to_head(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@dataclass
class Booth:
    id: int
    booth: str
    token: str
    device_id: int
    products: dict[str, int] = field(default_factory=dict)
    deposit_product: int = 0  # the booth's product a deposit on an order is sold as


@dataclass
class Fair:
    event_id: int
    organiser_token: str
    organiser_id: int
    a: Booth
    b: Booth


def _booth(event, booth, name, name_ar, products) -> Booth:
    exhibitor = create_exhibitor(
        event,
        {
            "booth": booth,
            "name": name,
            "name_ar": name_ar,
            "legal_form": "cooperative",
            "province": "Khénifra",
            "sector": "Miel",
            "members": 20,
            "women_members": 12,
        },
    )
    ids = {}
    for key, (p_name, p_name_ar, unit, price, open_price) in products.items():
        ids[key] = create_product(
            exhibitor,
            {
                "name": p_name,
                "name_ar": p_name_ar,
                "unit": unit,
                "unit_price": parse_money(price),
                "open_price": open_price,
            },
        ).id
    device = create_device(exhibitor, f"Téléphone {booth}")
    from pos.catalogue.models import Product

    deposit = db.session.scalars(
        sa.select(Product.id).where(Product.exhibitor_id == exhibitor.id, Product.kind == "deposit")
    ).one()
    return Booth(exhibitor.id, booth, device["token"], device["id"], ids, deposit)


def build_fair(app) -> Fair:
    with app.app_context():
        # The fair's own today (Casablanca), which the tests' days are reckoned in: not the
        # UTC date, a day behind from 23:00 to midnight UTC.
        today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
        region = organisation_named(ORGANISATION)
        event = create_event(
            {
                "name": "Salon régional de l'ESS",
                "name_ar": "المعرض الجهوي للاقتصاد التضامني",
                "starts_on": today - timedelta(days=2),
                "ends_on": today + timedelta(days=3),
                "timezone": "Africa/Casablanca",
                "currency": "MAD",
            },
            region.id,
        )
        a = _booth(
            event,
            "A01",
            "Coopérative Imilchil",
            "تعاونية إملشيل",
            {
                "honey": ("Miel de thym", "عسل الزعتر", "kg", "250.00", False),
                "pot": ("Pot de miel 500 g", "علبة عسل", "piece", "130.00", False),
                "carpet": ("Tapis Zayane", "زربية زيان", "piece", "4500.00", True),
                "retired": ("Pollen", "حبوب اللقاح", "kg", "180.00", False),
            },
        )
        b = _booth(
            event,
            "B07",
            "Coopérative Tamaynoute",
            "تعاونية تامينوت",
            {
                "saffron": ("Safran en filaments", "زعفران حر", "g", "35.00", False),
                "teapot": ("Théière en cuivre", "براد نحاسي", "piece", "380.00", False),
            },
        )
        from pos.catalogue.models import Product

        db.session.get(Product, a.products["retired"]).active = False
        organiser = create_user(
            ORGANISER_EMAIL, ORGANISER_PASSWORD, "organiser", organisation=ORGANISATION
        )
        token, _ = issue_token(
            role="organiser", user_id=organiser.id, expires_at=utcnow() + timedelta(hours=1)
        )
        db.session.commit()
        return Fair(event.id, token, organiser.id, a, b)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post_sale(client, token: str, exhibitor_id: int, body: dict, key: str | None = None):
    headers = {**auth(token), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1/exhibitors/{exhibitor_id}/sales", json=body, headers=headers)


def simple_sale(
    product_id: int, quantity: str = "1", amount: str = "130.00", method: str = "card"
) -> dict:
    return {
        "lines": [{"product_id": product_id, "quantity": quantity}],
        "payments": [{"method": method, "amount": amount}],
    }


def a_photo(side: int, seed: int = 7) -> bytes:
    """A JPEG of ``side`` pixels square, of noise (which compresses worst, as a busy stall's
    photo does)."""
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def an_order(product_id: int, quantity: str = "10", **extra) -> dict:
    """An order of ``quantity`` of a product, to deliver in a month."""
    return {
        "buyer_name": "Hôtel Kasbah Tadla",
        "buyer_phone": "+212 6 61 23 45 67",
        "delivery_date": (date.today() + timedelta(days=30)).isoformat(),
        "lines": [{"product_id": product_id, "quantity": quantity}],
        **extra,
    }


def row_counts(app) -> dict[str, int]:
    """Rows in every table, to prove a request wrote nothing."""
    with app.app_context():
        inspector = sa.inspect(db.engine)
        with db.engine.connect() as connection:
            return {
                table: connection.execute(
                    sa.select(sa.func.count()).select_from(sa.table(table))
                ).scalar_one()
                for table in inspector.get_table_names()
            }


def csrf_of(html: str) -> str:
    """The form token a page carries."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)


def sign_in_page(client, email: str = ORGANISER_EMAIL, password: str = ORGANISER_PASSWORD):
    """An organiser signed in on the pages, as the login form does it; the answer."""
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    """A new empty PostgreSQL database beside the tests' own: its URL; dropped after."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"pos_fresh_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except BaseException:
        admin.dispose()  # unreachable: nothing to drop
        raise
    try:
        yield sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def previous_edition(client, fair) -> dict:
    """An earlier edition of the test fair (no sales on this server), set as its previous."""
    headers = auth(fair.organiser_token)
    previous = client.post(
        "/api/v1/events",
        headers=headers,
        json={
            "name": "2e Salon",
            "name_ar": "المعرض الثاني",
            "starts_on": "2025-11-28",
            "ends_on": "2025-12-03",
        },
    ).json
    patched = client.patch(
        f"/api/v1/events/{fair.event_id}",
        headers=headers,
        json={"previous_event_id": previous["id"]},
    )
    assert patched.status_code == 200, patched.json
    return previous
