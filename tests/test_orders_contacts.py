"""Orders and contacts taken at the booth: owned by it like its sales, sent again after a
lost answer without a second record, a deposit that is a sale of its own; the impact
report counts them by sector and province, the cooperative's statement lists its own."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import openpyxl
import pytest

from tests.support import an_order, auth, post_sale, row_counts


def _order(client, token, exhibitor_id, body, key=None):
    headers = {**auth(token), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1/exhibitors/{exhibitor_id}/orders", json=body, headers=headers)


def _contact(client, token, exhibitor_id, body, key=None):
    headers = {**auth(token), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/api/v1/exhibitors/{exhibitor_id}/contacts", json=body, headers=headers)


def _deposit_sale(client, fair, amount, key):
    """What the till sends with an order whose buyer pays a deposit now."""
    body = {
        "lines": [{"product_id": fair.a.deposit_product, "quantity": "1", "unit_price": amount}],
        "payments": [{"method": "cash", "amount": amount}],
    }
    return post_sale(client, fair.a.token, fair.a.id, body, key=key)


def test_an_order_with_its_deposit_a_sale_of_its_own(client, fair):
    deposit_key = str(uuid.uuid4())
    body = an_order(
        fair.a.products["honey"],
        "12.5",
        deposit="500.00",
        deposit_key=deposit_key,
        note="Livraison à Beni Mellal",
    )
    body["lines"].append(
        {"product_id": fair.a.products["carpet"], "quantity": "1", "unit_price": "3800.00"}
    )
    # The order may reach the server before its deposit's sale (two items of the outbox).
    order = _order(client, fair.a.token, fair.a.id, body)
    assert order.status_code == 201, order.json
    assert order.json["total"] == "6925.00"  # 12.5 kg at 250.00, and the agreed carpet
    assert [line["name"] for line in order.json["lines"]] == ["Miel de thym", "Tapis Zayane"]
    assert order.json["deposit"] == "500.00" and order.json["deposit_sale"] is None

    sale = _deposit_sale(client, fair, "500.00", deposit_key)
    assert sale.status_code == 201, sale.json
    assert sale.json["lines"][0]["name"] == "Acompte sur commande"
    shown = client.get(f"/api/v1/orders/{order.json['id']}", headers=auth(fair.a.token)).json
    assert shown["deposit_sale"]["receipt_number"] == sale.json["receipt_number"]
    assert shown["deposit_sale"]["total"] == "500.00"
    # The deposit is income of the day; the order's value is counted apart.
    report = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.organiser_token)
    ).json
    assert report["totals"]["net"] == "500.00"
    assert report["top_products"] == [] and report["exhibitors"][0]["items_sold"] == 0
    counted = report["orders_and_contacts"]
    assert counted["orders"] == 1 and counted["orders_value"] == "6925.00"
    assert counted["deposits"] == "500.00"
    # The catalogue the till loads carries the deposit product, marked so.
    items = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/products?kind=deposit", headers=auth(fair.a.token)
    ).json["items"]
    assert [(item["id"], item["kind"]) for item in items] == [(fair.a.deposit_product, "deposit")]


def test_a_discount_on_a_cart_line_is_kept_when_the_cart_is_ordered(client, fair):
    # Two pots at 130.00 with 20.00 off, as the cart showed: the buyer agreed 240.00.
    pot, honey = fair.a.products["pot"], fair.a.products["honey"]
    body = an_order(pot, "2", deposit="240.00", deposit_key=str(uuid.uuid4()))
    body["lines"][0]["discount"] = "20.00"
    body["lines"].append({"product_id": honey, "quantity": "1"})
    order = _order(client, fair.a.token, fair.a.id, body)
    assert order.status_code == 201, order.json
    first, second = order.json["lines"]
    assert (first["discount"], first["line_total"]) == ("20.00", "240.00")
    assert (second["discount"], second["line_total"]) == ("0.00", "250.00")
    assert order.json["total"] == "490.00"
    report = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.organiser_token)
    ).json
    assert report["orders_and_contacts"]["orders_value"] == "490.00"


def test_sent_again_after_a_lost_answer_an_order_and_a_contact_are_recorded_once(app, client, fair):
    order_key, contact_key = str(uuid.uuid4()), str(uuid.uuid4())
    body = an_order(fair.a.products["pot"], "40")
    contact = {"kind": "exporter", "name": "Atlas Export", "interest": "Miel en fûts"}
    first = _order(client, fair.a.token, fair.a.id, body, order_key)
    met = _contact(client, fair.a.token, fair.a.id, contact, contact_key)
    assert first.status_code == met.status_code == 201
    before = row_counts(app)
    again = _order(client, fair.a.token, fair.a.id, body, order_key)
    met_again = _contact(client, fair.a.token, fair.a.id, contact, contact_key)
    assert again.status_code == met_again.status_code == 201
    assert again.json == first.json and met_again.json == met.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert row_counts(app) == before
    orders = client.get(f"/api/v1/exhibitors/{fair.a.id}/orders", headers=auth(fair.a.token))
    contacts = client.get(f"/api/v1/exhibitors/{fair.a.id}/contacts", headers=auth(fair.a.token))
    assert orders.json["total"] == contacts.json["total"] == 1
    assert contacts.json["items"][0]["interest"] == "Miel en fûts"


def test_a_booth_sees_and_orders_only_its_own(client, fair):
    mine = _order(client, fair.a.token, fair.a.id, an_order(fair.a.products["pot"]))
    theirs = _contact(client, fair.b.token, fair.b.id, {"kind": "shop", "name": "Bazar Tadla"})
    assert mine.status_code == theirs.status_code == 201
    # B's product on A's order: refused, naming the line.
    answer = _order(client, fair.a.token, fair.a.id, an_order(fair.b.products["teapot"]))
    assert answer.status_code == 422
    assert "lines.0.product_id" in answer.json["errors"]
    # Another booth's order, contact or lists: not found, as if there were none.
    assert (
        client.get(f"/api/v1/orders/{mine.json['id']}", headers=auth(fair.b.token)).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/contacts/{theirs.json['id']}", headers=auth(fair.a.token)).status_code
        == 404
    )
    for path in ("orders", "contacts"):
        assert (
            client.get(
                f"/api/v1/exhibitors/{fair.b.id}/{path}", headers=auth(fair.a.token)
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/api/v1/exhibitors/{fair.b.id}/{path}", json={}, headers=auth(fair.a.token)
            ).status_code
            == 404
        )
    # The organiser sees both booths'.
    organiser = auth(fair.organiser_token)
    assert client.get(f"/api/v1/orders/{mine.json['id']}", headers=organiser).status_code == 200
    assert client.get(f"/api/v1/contacts/{theirs.json['id']}", headers=organiser).status_code == 200


def test_a_tired_cashiers_order_is_refused_field_by_field_and_writes_nothing(app, client, fair):
    pot = fair.a.products["pot"]
    fair_start = date.today() - timedelta(days=2)
    cases = {
        "deposit": an_order(pot, "1", deposit="200.00", deposit_key="k"),  # above 130.00
        "deposit_key": an_order(pot, "2", deposit="100.00"),
        "delivery_date": {
            **an_order(pot),
            "delivery_date": (fair_start - timedelta(days=1)).isoformat(),
        },
        "buyer_phone": {**an_order(pot), "buyer_phone": "call me"},
        "buyer_name": {**an_order(pot), "buyer_name": ""},
        "lines.0.product_id": an_order(fair.a.deposit_product),
        "lines.0.quantity": an_order(pot, "0"),
        "lines.0.discount": {
            **an_order(pot),
            "lines": [{"product_id": pot, "quantity": "1", "discount": "130.01"}],
        },
        "lines": {**an_order(pot), "lines": []},
    }
    before = row_counts(app)
    for field, body in cases.items():
        answer = _order(client, fair.a.token, fair.a.id, body)
        assert answer.status_code == 422, (field, answer.json)
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert field in answer.json["errors"], (field, answer.json)
    for field, body in {
        "kind": {"kind": "friend", "name": "X"},
        "name": {"kind": "shop"},
        "phone": {"kind": "shop", "name": "X", "phone": "<script>"},
    }.items():
        answer = _contact(client, fair.a.token, fair.a.id, body)
        assert answer.status_code == 422 and field in answer.json["errors"], (field, answer.json)
    assert row_counts(app) == before
    # Nor is the deposit product one to change.
    changed = client.patch(
        f"/api/v1/products/{fair.a.deposit_product}",
        json={"name": "Autre"},
        headers=auth(fair.a.token),
    )
    assert changed.status_code == 422 and "kind" in changed.json["errors"]
    # Nor can goods be made a deposit: a product's kind is not the API's to set.
    for kind in ("deposit", "all"):
        made = client.patch(
            f"/api/v1/products/{pot}", json={"kind": kind}, headers=auth(fair.a.token)
        )
        assert made.status_code == 422 and "kind" in made.json["errors"], made.json
    pot_now = client.get(f"/api/v1/products/{pot}", headers=auth(fair.a.token)).json
    assert pot_now["kind"] == "goods"


def test_the_impact_report_counts_orders_and_contacts_by_sector_and_province(client, fair):
    organiser = auth(fair.organiser_token)
    # B, a coppersmith of another province.
    client.patch(
        f"/api/v1/exhibitors/{fair.b.id}",
        json={"sector": "Dinanderie", "province": "Azilal"},
        headers=organiser,
    )
    made = [
        _order(client, fair.a.token, fair.a.id, an_order(fair.a.products["pot"], "10")),
        _order(client, fair.a.token, fair.a.id, an_order(fair.a.products["honey"], "2")),
        _order(client, fair.b.token, fair.b.id, an_order(fair.b.products["teapot"], "3")),
    ]
    for token, booth, kind in (
        (fair.a.token, fair.a.id, "hotel"),
        (fair.a.token, fair.a.id, "hotel"),
        (fair.b.token, fair.b.id, "exporter"),
    ):
        assert _contact(client, token, booth, {"kind": kind, "name": "N"}).status_code == 201
    assert [answer.status_code for answer in made] == [201, 201, 201]
    report = client.get(f"/api/v1/events/{fair.event_id}/reports/impact", headers=organiser).json
    counted = report["orders_and_contacts"]
    assert (counted["orders"], counted["orders_value"], counted["contacts"]) == (3, "2940.00", 3)
    by_sector = {row["key"]: row for row in counted["by_sector"]}
    assert (by_sector["Miel"]["orders"], by_sector["Miel"]["orders_value"]) == (2, "1800.00")
    assert (by_sector["Dinanderie"]["orders"], by_sector["Dinanderie"]["orders_value"]) == (
        1,
        "1140.00",
    )
    assert by_sector["Miel"]["contacts"] == 2 and by_sector["Dinanderie"]["contacts"] == 1
    by_province = {row["key"]: row["orders"] for row in counted["by_province"]}
    assert by_province == {"Khénifra": 2, "Azilal": 1}
    assert {row["key"]: row["contacts"] for row in counted["by_contact_kind"]} == {
        "hotel": 2,
        "exporter": 1,
    }
    # A cooperative's statement lists its own, never another's.
    statement = client.get(
        f"/api/v1/exhibitors/{fair.b.id}/statement", headers=auth(fair.b.token)
    ).json
    assert [order["total"] for order in statement["orders"]] == ["1140.00"]
    assert [contact["kind"] for contact in statement["contacts"]] == ["exporter"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the files' layout alone
def test_the_impact_reports_files_carry_the_orders_and_contacts(client, fair):
    assert (
        _order(client, fair.a.token, fair.a.id, an_order(fair.a.products["pot"], "10")).status_code
        == 201
    )
    assert (
        _contact(client, fair.a.token, fair.a.id, {"kind": "shop", "name": "S"}).status_code == 201
    )
    url = f"/api/v1/events/{fair.event_id}/reports/impact?lang=en&format="
    organiser = auth(fair.organiser_token)
    text = client.get(url + "csv", headers=organiser).data.decode("utf-8-sig")
    section = text[text.index("Orders and contacts") :].splitlines()
    assert section[1:4] == ["Orders,1", "Value of the orders,1300.00", "Business contacts,1"]
    assert "Miel,Miel,1,1300.00,1" in section
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "xlsx", headers=organiser).data))
    sheet = book["Orders and contacts"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:2] == ["Value of the orders", 1300] and values[2][:2] == [
        "Business contacts",
        1,
    ]
    assert ["Miel", "Miel", 1, 1300, 1] in values
