"""A sale is a fact at the booth: the server records it as it happened, on both databases.
A till that was offline sends the price it showed, a product withdrawn since, a clock that
was wrong; a refused sale is kept where an organiser can settle it; the organiser sees what
waits on the phones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import auth, post_sale


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _now() -> datetime:
    return datetime.now(UTC)


def _sell(client, fair, body, *, clock: datetime | None = None, key: str | None = None):
    headers = {**auth(fair.a.token), "Idempotency-Key": key or str(uuid.uuid4())}
    if clock is not None:
        headers["Device-Clock"] = _iso(clock)
    return client.post(f"/api/v1/exhibitors/{fair.a.id}/sales", json=body, headers=headers)


def _set_price(client, fair, product_id: int, price: str) -> None:
    response = client.patch(
        f"/api/v1/products/{product_id}", json={"unit_price": price}, headers=auth(fair.a.token)
    )
    assert response.status_code == 200


def test_an_offline_sale_is_recorded_at_the_price_the_till_showed(client, fair):
    pot = fair.a.products["pot"]
    _set_price(client, fair, pot, "140.00")  # changed on another phone meanwhile
    body = {
        "lines": [{"product_id": pot, "quantity": "1", "unit_price": "130.00"}],
        "payments": [{"method": "cash", "amount": "130.00"}],
    }
    sale = _sell(client, fair, body)
    assert sale.status_code == 201, sale.get_data(as_text=True)
    assert sale.get_json()["lines"][0]["unit_price"] == "130.00"
    assert sale.get_json()["total"] == "130.00"
    today = _sell(
        client,
        fair,
        {
            "lines": [{"product_id": pot, "quantity": "1"}],
            "payments": [{"method": "cash", "amount": "140.00"}],
        },
    )
    assert today.get_json()["lines"][0]["unit_price"] == "140.00"


def test_a_price_the_product_never_had_is_refused_on_that_line(client, fair):
    body = {
        "lines": [
            {"product_id": fair.a.products["honey"], "quantity": "1"},
            {"product_id": fair.a.products["pot"], "quantity": "1", "unit_price": "99.00"},
        ],
        "payments": [{"method": "cash", "amount": "349.00"}],
    }
    response = _sell(client, fair, body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["lines.1.unit_price"]


def test_a_withdrawn_product_sold_before_its_withdrawal_is_recorded(client, fair):
    pot = fair.a.products["pot"]
    sold_at = _now() - timedelta(minutes=20)
    withdrawn = client.patch(
        f"/api/v1/products/{pot}", json={"active": False}, headers=auth(fair.a.token)
    )
    assert withdrawn.status_code == 200
    body = {
        "lines": [{"product_id": pot, "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "130.00"}],
        "sold_at": _iso(sold_at),
    }
    assert _sell(client, fair, body).status_code == 201
    after = _sell(client, fair, {**body, "sold_at": _iso(_now())})
    assert after.status_code == 422
    assert list(after.get_json()["errors"]) == ["lines.0.product_id"]


def test_a_phone_three_days_behind_records_its_sale_today(app, client, fair):
    behind = timedelta(days=3)
    device_now = _now() - behind
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "card", "amount": "130.00"}],
        "sold_at": _iso(device_now - timedelta(minutes=5)),
    }
    key = str(uuid.uuid4())
    response = _sell(client, fair, body, clock=device_now, key=key)
    assert response.status_code == 201, response.get_data(as_text=True)
    sale = response.get_json()
    recorded = datetime.fromisoformat(sale["sold_at"])
    assert abs(recorded - (_now() - timedelta(minutes=5))) < timedelta(minutes=1)
    assert sale["clock_corrected"] is True
    assert datetime.fromisoformat(sale["device_sold_at"]) == device_now - timedelta(minutes=5)
    # Sent again later, with the clock as it is then: the same sale, not a second one.
    again = _sell(client, fair, body, clock=device_now + timedelta(minutes=3), key=key)
    assert again.status_code == 201 and again.get_json() == sale
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 0, result.output


def test_a_phone_ten_minutes_ahead_is_corrected_not_refused(client, fair):
    ahead = _now() + timedelta(minutes=10)
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "130.00"}],
        "sold_at": _iso(ahead),
    }
    assert _sell(client, fair, body).status_code == 422  # no clock sent: in the future
    response = _sell(client, fair, body, clock=ahead)
    assert response.status_code == 201
    assert response.get_json()["clock_corrected"] is True


def test_a_clock_within_two_minutes_is_taken_as_right(client, fair):
    sold_at = _now() - timedelta(seconds=30)
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "130.00"}],
        "sold_at": _iso(sold_at),
    }
    sale = _sell(client, fair, body, clock=_now() + timedelta(seconds=90)).get_json()
    assert sale["clock_corrected"] is False
    assert sale["device_sold_at"] == sale["sold_at"]
    assert datetime.fromisoformat(sale["sold_at"]) == sold_at


def test_a_malformed_device_clock_is_a_400_naming_it(client, fair):
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "130.00"}],
    }
    headers = {**auth(fair.a.token), "Idempotency-Key": "k1", "Device-Clock": "yesterday"}
    response = client.post(f"/api/v1/exhibitors/{fair.a.id}/sales", json=body, headers=headers)
    assert response.status_code == 400
    assert "Device-Clock" in response.get_json()["errors"]


def test_a_refused_sale_is_journaled_for_the_organiser(client, fair):
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "120.00"}],  # does not add up
    }
    refused = _sell(client, fair, body, key="refused-key-1")
    assert refused.status_code == 422
    journal = client.get(
        f"/api/v1/events/{fair.event_id}/journal?kind=sale.refused",
        headers=auth(fair.organiser_token),
    ).get_json()
    assert journal["total"] == 1
    entry = journal["items"][0]
    assert entry["exhibitor_id"] == fair.a.id
    assert entry["details"]["idempotency_key"] == "refused-key-1"
    assert entry["details"]["body"] == body
    assert entry["details"]["problem"] == refused.get_json()
    # A cashier reads no journal, its own booth's included.
    assert (
        client.get(
            f"/api/v1/events/{fair.event_id}/journal?kind=sale.refused",
            headers=auth(fair.a.token),
        ).status_code
        == 403
    )


def test_the_organiser_sees_what_waits_on_the_phones(client, fair):
    oldest = _now() - timedelta(minutes=40)
    reported = client.post(
        "/api/v1/devices/heartbeat",
        json={"outbox": 3, "oldest_waiting_at": _iso(oldest), "refused": 1},
        headers=auth(fair.b.token),
    )
    assert reported.status_code == 200
    assert client.post("/api/v1/devices/heartbeat", headers=auth(fair.a.token)).status_code == 200
    sync = client.get(
        f"/api/v1/events/{fair.event_id}/sync", headers=auth(fair.organiser_token)
    ).get_json()
    assert (sync["waiting_sales"], sync["booths_waiting"], sync["refused_sales"]) == (3, 1, 1)
    assert [item["booth"] for item in sync["items"]] == ["B07", "A01"]
    device = sync["items"][0]["devices"][0]
    assert device["outbox"] == 3 and device["refused"] == 1
    assert datetime.fromisoformat(device["oldest_waiting_at"]) == oldest
    assert sync["items"][1]["devices"][0]["last_seen_at"] is not None
    assert (
        client.get(f"/api/v1/events/{fair.event_id}/sync", headers=auth(fair.a.token)).status_code
        == 403
    )
    bad = client.post("/api/v1/devices/heartbeat", json={"outbox": -1}, headers=auth(fair.a.token))
    assert bad.status_code == 422 and "outbox" in bad.get_json()["errors"]


PRODUCTS = ("honey", "pot", "carpet")


@st.composite
def valid_sales(draw, fair):
    """Sales of every shape a till makes: weights, pieces, agreed prices, discounts up to
    the whole line (a total of 0.00 with no payment), split payments, cash with change."""
    lines, total = [], 0
    prices = {"honey": 25000, "pot": 13000, "carpet": None}
    given_away = draw(st.booleans())  # every line discounted whole: 0.00, no payment
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(PRODUCTS))
        if name == "honey":
            quantity = draw(st.integers(1, 20_000))
        else:
            quantity = draw(st.integers(1, 5)) * 1000
        price = prices[name] or draw(st.integers(1, 10_000_000))
        amount = (quantity * price + 500) // 1000
        discount = amount if given_away else draw(st.integers(0, amount))
        line = {
            "product_id": fair.a.products[name],
            "quantity": f"{quantity // 1000}.{quantity % 1000:03d}",
            "discount": f"{discount // 100}.{discount % 100:02d}",
        }
        if prices[name] is None:
            line["unit_price"] = f"{price // 100}.{price % 100:02d}"
        lines.append(line)
        total += amount - discount
    payments = []
    if total:
        split = draw(st.integers(0, total))
        for method, amount in (("card", split), ("cash", total - split)):
            if amount:
                payment = {"method": method, "amount": f"{amount // 100}.{amount % 100:02d}"}
                if method == "cash" and draw(st.booleans()):
                    tendered = amount + draw(st.integers(0, 20_000))
                    payment["tendered"] = f"{tendered // 100}.{tendered % 100:02d}"
                payments.append(payment)
    return {"lines": lines, "payments": payments}, total


def test_every_valid_sale_is_recorded(client, fair):
    @given(st.data())
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def check(data):
        body, total = data.draw(valid_sales(fair))
        response = post_sale(client, fair.a.token, fair.a.id, body)
        assert response.status_code == 201, (body, response.get_data(as_text=True))
        assert response.get_json()["total"] == f"{total // 100}.{total % 100:02d}"

    check()


def test_the_dashboard_shows_the_sales_waiting_on_phones(client, fair):
    from tests.test_setup_pages import _signed_in

    client.post(
        "/api/v1/devices/heartbeat", json={"outbox": 2, "refused": 1}, headers=auth(fair.a.token)
    )
    _signed_in(client)
    live = client.get(f"/dashboard/live.json?event={fair.event_id}").get_json()
    assert live["phones"]["waiting_sales"] == 2 and live["phones"]["booths_waiting"] == 1
    assert live["phones"]["refused_sales"] == 1
    page = client.get(f"/dashboard?event={fair.event_id}").get_data(as_text=True)
    assert 'id="waiting-sales" dir="ltr">2<' in page


def test_problems_come_in_the_askers_language_with_fields_in_words(client, fair):
    body = {
        "lines": [
            {"product_id": fair.a.products["pot"], "quantity": "1"},
            {"product_id": fair.a.products["retired"], "quantity": "1"},
        ],
        "payments": [{"method": "cash", "amount": "130.00"}],
    }
    answers = {}
    for language in ("ar", "fr", "en"):
        headers = {
            **auth(fair.a.token),
            "Idempotency-Key": str(uuid.uuid4()),
            "Accept-Language": language,
        }
        response = client.post(f"/api/v1/exhibitors/{fair.a.id}/sales", json=body, headers=headers)
        assert response.status_code == 422
        answers[language] = response.get_json()
    # The keys stay as they are; the words change.
    assert {tuple(a["errors"]) for a in answers.values()} == {("lines.1.product_id",)}
    assert answers["en"]["title"] == "Unprocessable Entity"
    assert answers["en"]["detail"] == "Please check: line 2: product."
    assert answers["en"]["errors"]["lines.1.product_id"] == ["This product is no longer sold."]
    assert answers["fr"]["detail"] == "Veuillez vérifier\u00a0: ligne 2\u00a0: produit."
    assert answers["fr"]["errors"]["lines.1.product_id"] == ["Ce produit n'est plus vendu."]
    assert answers["ar"]["title"] == "معطيات مرفوضة"
    assert answers["ar"]["detail"] == "المرجو التحقق من: السطر 2: المنتوج."
    assert answers["ar"]["errors"]["lines.1.product_id"] == ["هذا المنتوج لم يعد يباع."]


def test_messages_with_values_and_schema_messages_are_translated(client, fair):
    headers = {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "fr"}
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
        "payments": [{"method": "bitcoin", "amount": "120.00"}],
    }
    problem = client.post(f"/api/v1/exhibitors/{fair.a.id}/sales", json=body, headers=headers)
    assert problem.get_json()["errors"]["payments.0.method"] == [
        "Doit être l'un de\u00a0: cash, card, mobile, transfer, cheque."
    ]
    body["payments"][0]["method"] = "cash"
    problem = client.post(f"/api/v1/exhibitors/{fair.a.id}/sales", json=body, headers=headers)
    assert problem.get_json()["errors"]["payments"] == [
        "Les paiements font 120.00, le total est de 130.00."
    ]
    missing = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/sales", json={"payments": []}, headers=headers
    )
    assert missing.get_json()["errors"]["lines"] == ["Champ obligatoire manquant."]
    # A script that names no language gets English.
    plain = client.post(
        "/api/v1/auth/token", json={"email": "nobody@example.ma", "password": "wrong password"}
    )
    assert plain.get_json()["detail"] == "Wrong email or password."
    arabic = client.post(
        "/api/v1/auth/token",
        json={"email": "nobody@example.ma", "password": "wrong password"},
        headers={"Accept-Language": "ar"},
    )
    assert arabic.get_json()["title"] == "يلزم تسجيل الدخول"
