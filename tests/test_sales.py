"""Recording sales: exact money, catalogue and open prices, voids, listing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support import auth, post_sale, simple_sale


def test_weighed_sale_with_cash_change_is_recorded_exactly(client, fair):
    body = {
        "lines": [
            {"product_id": fair.a.products["honey"], "quantity": "0.250"},
            {"product_id": fair.a.products["pot"], "quantity": "2", "discount": "10.00"},
        ],
        "payments": [{"method": "cash", "amount": "312.50", "tendered": "400.00"}],
    }
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 201, response.json
    sale = response.json
    assert sale["receipt_number"] == "A01-000001"
    assert sale["status"] == "completed"
    assert [line["line_total"] for line in sale["lines"]] == ["62.50", "250.00"]
    assert sale["lines"][0]["name_ar"] == "عسل الزعتر"
    assert sale["lines"][0]["quantity"] == "0.250"
    assert sale["total"] == "312.50"
    assert sale["payments"] == [
        {"method": "cash", "amount": "312.50", "tendered": "400.00", "change": "87.50"}
    ]
    fetched = client.get(f"/api/v1/sales/{sale['id']}", headers=auth(fair.a.token)).json
    assert fetched["total"] == "312.50"
    # Sold now (no time sent): recorded at the moment it was sold, to the second.
    sold_at = datetime.fromisoformat(fetched["sold_at"])
    recorded_at = datetime.fromisoformat(fetched["recorded_at"])
    assert sold_at.tzinfo is not None and abs((recorded_at - sold_at).total_seconds()) < 5
    assert abs((datetime.now(UTC) - recorded_at).total_seconds()) < 60


def test_receipt_numbers_follow_on_per_exhibitor(client, fair):
    numbers = []
    for _ in range(3):
        numbers.append(
            post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json[
                "receipt_number"
            ]
        )
    other = post_sale(
        client, fair.b.token, fair.b.id, simple_sale(fair.b.products["teapot"], amount="380.00")
    )
    assert numbers == ["A01-000001", "A01-000002", "A01-000003"]
    assert other.json["receipt_number"] == "B07-000001"


def test_payments_must_add_up_to_the_total(client, fair):
    body = simple_sale(fair.a.products["pot"], amount="120.00")
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "payments" in response.json["errors"]


def test_split_payment(client, fair):
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "3"}],
        "payments": [
            {"method": "cash", "amount": "90.00", "tendered": "100.00"},
            {"method": "mobile", "amount": "300.00"},
        ],
    }
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 201
    assert [p["change"] for p in response.json["payments"]] == ["10.00", "0.00"]


def test_tendered_only_for_cash_and_never_short(client, fair):
    short = simple_sale(fair.a.products["pot"], method="cash")
    short["payments"][0]["tendered"] = "100.00"
    response = post_sale(client, fair.a.token, fair.a.id, short)
    assert response.status_code == 422
    assert "payments.0.tendered" in response.json["errors"]
    card = simple_sale(fair.a.products["pot"])
    card["payments"][0]["tendered"] = "200.00"
    assert "payments.0.tendered" in post_sale(client, fair.a.token, fair.a.id, card).json["errors"]


def test_open_price_product_takes_the_agreed_price(client, fair):
    carpet = fair.a.products["carpet"]
    body = {
        "lines": [{"product_id": carpet, "quantity": "1", "unit_price": "3800.00"}],
        "payments": [{"method": "transfer", "amount": "3800.00"}],
    }
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 201
    assert response.json["lines"][0]["unit_price"] == "3800.00"
    missing = {
        "lines": [{"product_id": carpet, "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "4500.00"}],
    }
    response = post_sale(client, fair.a.token, fair.a.id, missing)
    assert response.status_code == 422
    assert "lines.0.unit_price" in response.json["errors"]


def test_catalogue_price_cannot_be_overridden(client, fair):
    body = simple_sale(fair.a.products["pot"], amount="1.00")
    body["lines"][0]["unit_price"] = "1.00"
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 422
    assert "lines.0.unit_price" in response.json["errors"]
    same = simple_sale(fair.a.products["pot"])
    same["lines"][0]["unit_price"] = "130.00"
    assert post_sale(client, fair.a.token, fair.a.id, same).status_code == 201


def test_refused_products(client, fair):
    cases = {
        "inactive": simple_sale(fair.a.products["retired"], amount="180.00"),
        "other booth": simple_sale(fair.b.products["teapot"], amount="380.00"),
        "unknown": simple_sale(999_999),
        "half a piece": simple_sale(fair.a.products["pot"], quantity="0.5", amount="65.00"),
    }
    for case, body in cases.items():
        response = post_sale(client, fair.a.token, fair.a.id, body)
        assert response.status_code == 422, case
        assert set(response.json["errors"]) & {"lines.0.product_id", "lines.0.quantity"}, case


def test_discount_cannot_exceed_the_line(client, fair):
    body = simple_sale(fair.a.products["pot"], amount="1.00")
    body["lines"][0]["discount"] = "130.01"
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 422
    assert "lines.0.discount" in response.json["errors"]


def test_sold_at_offline_in_the_past_is_kept_but_not_the_future(client, fair):
    earlier = (datetime.now(UTC) - timedelta(hours=5)).isoformat()
    body = {**simple_sale(fair.a.products["pot"]), "sold_at": earlier}
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 201
    assert datetime.fromisoformat(response.json["sold_at"]) == datetime.fromisoformat(earlier)
    assert response.json["recorded_at"] > response.json["sold_at"]

    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    response = post_sale(
        client, fair.a.token, fair.a.id, {**simple_sale(fair.a.products["pot"]), "sold_at": future}
    )
    assert response.status_code == 422
    assert "sold_at" in response.json["errors"]

    before_fair = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    response = post_sale(
        client,
        fair.a.token,
        fair.a.id,
        {**simple_sale(fair.a.products["pot"]), "sold_at": before_fair},
    )
    assert response.status_code == 422

    naive = datetime.now().replace(microsecond=0).isoformat()
    response = post_sale(
        client, fair.a.token, fair.a.id, {**simple_sale(fair.a.products["pot"]), "sold_at": naive}
    )
    assert response.status_code == 422


def test_void_once_with_a_reason(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    url = f"/api/v1/sales/{sale['id']}/void"
    assert client.post(url, json={}, headers=auth(fair.a.token)).status_code == 422
    response = client.post(url, json={"reason": "Erreur de saisie"}, headers=auth(fair.a.token))
    assert response.status_code == 200
    assert response.json["status"] == "voided"
    assert response.json["void"]["reason"] == "Erreur de saisie"
    again = client.post(url, json={"reason": "encore"}, headers=auth(fair.a.token))
    assert again.status_code == 409
    assert (
        client.get(f"/api/v1/sales/{sale['id']}", headers=auth(fair.a.token)).json["status"]
        == "voided"
    )


def test_list_sales_of_a_day(client, fair):
    numbers = [
        post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json[
            "receipt_number"
        ]
        for _ in range(3)
    ]
    today = client.get(f"/api/v1/exhibitors/{fair.a.id}/sales", headers=auth(fair.a.token)).json[
        "items"
    ][0]["period_date"]  # the fair day in Morocco's time, not sold_at's UTC date
    url = f"/api/v1/exhibitors/{fair.a.id}/sales?date={today}&limit=2"
    first = client.get(url, headers=auth(fair.a.token)).json
    rest = client.get(f"{url}&offset=2", headers=auth(fair.a.token)).json
    # The three sales of the day, two a page, each once.
    assert first["total"] == rest["total"] == 3
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    listed = [sale["receipt_number"] for sale in first["items"] + rest["items"]]
    assert sorted(listed) == sorted(numbers)
    other_day = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/sales?date=2001-01-01", headers=auth(fair.a.token)
    ).json
    assert other_day == {"items": [], "total": 0}


def test_a_later_price_change_does_not_rewrite_a_sale(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    response = client.patch(
        f"/api/v1/products/{fair.a.products['pot']}",
        json={"unit_price": "150.00", "name": "Pot 500 g"},
        headers=auth(fair.a.token),
    )
    assert response.status_code == 200
    again = client.get(f"/api/v1/sales/{sale['id']}", headers=auth(fair.a.token)).json
    assert again["lines"][0]["unit_price"] == "130.00"
    assert again["lines"][0]["name"] == "Pot de miel 500 g"


def test_sales_have_no_update_or_delete(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/sales/{sale['id']}", json={}, headers=auth(fair.organiser_token)
        )
        assert response.status_code == 405
        assert response.mimetype == "application/problem+json"
