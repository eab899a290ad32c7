"""The drill's fair made as an organiser makes one, through the API: the event, its booths
with their catalogues, a device a phone, and each booth's printer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from pos.core.money import format_money
from pos.drill.client import Client
from pos.drill.phone import Booth
from pos.drill.plan import BoothPlan
from pos.drill.printers import PROFILE, PROFILE_58, BoothPrinter, Counter

TIMEZONE = "Africa/Casablanca"


class SetupFailed(RuntimeError):
    pass


def _expect(answer, *statuses: int):
    if answer.status not in statuses:
        raise SetupFailed(f"{answer.status}: {answer.body[:300]!r}")
    return answer.json()


def sign_in(bases: list[str], email: str, password: str, authority: str | None = None) -> Client:
    client = Client(bases, authority=authority)
    token = _expect(
        client.request("POST", "/api/v1/auth/token", {"email": email, "password": password}), 200
    )
    return client.signed_in(token["token"])


def create_event(organiser: Client, dates: list[date], seed: int) -> int:
    event = _expect(
        organiser.request(
            "POST",
            "/api/v1/events",
            {
                "name": f"Répétition générale (drill {seed})",
                "name_ar": f"تمرين عام ({seed})",
                "starts_on": dates[0].isoformat(),
                # A day more, in case the last day's play runs past the fair's midnight.
                "ends_on": (dates[-1] + timedelta(days=1)).isoformat(),
                "timezone": TIMEZONE,
                "rehearsal": True,  # no report counts it; DELETE removes it
            },
        ),
        201,
    )
    return event["id"]


def create_booth(
    organiser: Client, event_id: int, plan: BoothPlan, printers: dict[str, BoothPrinter]
) -> tuple[Booth, list[str]]:
    """The booth, its products, a device token a phone, and where its receipts print."""
    exhibitor = _expect(
        organiser.request(
            "POST",
            f"/api/v1/events/{event_id}/exhibitors",
            {
                "name": plan.name,
                "name_ar": plan.name_ar,
                "legal_form": plan.legal_form,
                "province": plan.province,
                "sector": plan.sector,
                "booth": plan.booth,
            },
        ),
        201,
    )
    exhibitor_id = exhibitor["id"]
    product_ids = []
    for product in plan.products:
        body: dict[str, str | bool] = {
            "name": product.name,
            "name_ar": product.name_ar,
            "unit": product.unit,
            "unit_price": format_money(product.price),
        }
        if product.open_price:
            body["open_price"] = True
        created = _expect(
            organiser.request("POST", f"/api/v1/exhibitors/{exhibitor_id}/products", body), 201
        )
        product_ids.append(created["id"])
    tokens = [
        _expect(
            organiser.request(
                "POST",
                f"/api/v1/exhibitors/{exhibitor_id}/devices",
                {"label": f"Phone {phone.number}"},
            ),
            201,
        )["token"]
        for phone in plan.phones
    ]
    booth = Booth(plan, exhibitor_id, product_ids)
    if plan.prints_on_phone or plan.booth not in printers:
        booth.counter = Counter(58)
        printer = {"connection": "device", "profile": PROFILE_58, "paper_width_mm": 58}
    else:
        emulator = printers[plan.booth]
        booth.counter = None
        printer = {
            "connection": f"tcp://127.0.0.1:{emulator.port}",
            "profile": PROFILE,
            "paper_width_mm": 80,
        }
    _expect(organiser.request("PUT", f"/api/v1/exhibitors/{exhibitor_id}/printer", printer), 200)
    return booth, tokens


def create_booths(
    organiser: Client, event_id: int, plans: list[BoothPlan], printers
) -> list[tuple[Booth, list[str]]]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda plan: create_booth(organiser, event_id, plan, printers), plans))
