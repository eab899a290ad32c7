"""VAT and ICE: an exhibitor subject to VAT sells at prices that include it, and its
receipts show it rate by rate; an exempt one's receipts say it is exempt."""

from __future__ import annotations

import pytest

from pos.sales.vat import breakdown, included_vat
from printers.decode import decode
from printers.receipt import ReceiptVat
from printers.render import PAPERS, render_receipt
from tests.printing_support import OUTPUT, has_drawn, typical_receipt
from tests.support import auth, post_sale, row_counts

ICE = "001234567000089"


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [(12000, 20, 2000), (10700, 7, 700), (1000, 14, 123), (1, 20, 0), (3, 20, 1), (5000, 0, 0)],
)
def test_the_vat_inside_a_price_is_rounded_half_up_to_the_centime(gross, rate, vat):
    assert included_vat(gross, rate) == vat


def test_each_rate_is_taken_out_of_its_lines_total_once():
    class Line:
        def __init__(self, rate, total):
            self.vat_rate, self.line_total = rate, total

    lines = [Line(20, 6250), Line(10, 26000), Line(20, 13000)]
    assert breakdown(lines) == [
        {"rate": 10, "base": 23636, "amount": 2364},
        {"rate": 20, "base": 16042, "amount": 3208},  # 192.50 at 20 %: once, not per line
    ]
    assert breakdown([Line(None, 500)]) is None


def _subject(client, fair):
    answer = client.patch(
        f"/api/v1/exhibitors/{fair.a.id}",
        json={"vat": "subject", "ice": ICE},
        headers=auth(fair.organiser_token),
    )
    assert answer.status_code == 200, answer.json
    assert (answer.json["vat"], answer.json["ice"]) == ("subject", ICE)
    honey = client.patch(
        f"/api/v1/products/{fair.a.products['honey']}",
        json={"vat_rate": "10"},
        headers=auth(fair.organiser_token),
    )
    assert honey.status_code == 200 and honey.json["vat_rate"] == "10", honey.json


def test_a_sale_of_a_booth_subject_to_vat_says_its_vat_by_rate(client, fair):
    _subject(client, fair)
    body = {
        "lines": [
            {"product_id": fair.a.products["pot"], "quantity": "1"},  # 130.00 at 20 %
            {"product_id": fair.a.products["honey"], "quantity": "1"},  # 250.00 at 10 %
        ],
        "payments": [{"method": "cash", "amount": "380.00"}],
    }
    sale = post_sale(client, fair.a.token, fair.a.id, body)
    assert sale.status_code == 201, sale.json
    expected = [
        {"rate": "10", "base": "227.27", "amount": "22.73"},
        {"rate": "20", "base": "108.33", "amount": "21.67"},
    ]
    assert sale.json["vat"] == expected
    assert [line["vat_rate"] for line in sale.json["lines"]] == ["20", "10"]
    again = client.get(f"/api/v1/sales/{sale.json['id']}", headers=auth(fair.a.token))
    assert again.json["vat"] == expected


def test_an_exempt_booths_sale_has_no_vat_and_its_lines_no_rate(client, fair):
    body = {
        "lines": [{"product_id": fair.b.products["teapot"], "quantity": "1"}],
        "payments": [{"method": "card", "amount": "380.00"}],
    }
    sale = post_sale(client, fair.b.token, fair.b.id, body)
    assert sale.status_code == 201
    assert "vat" not in sale.json and sale.json["lines"][0]["vat_rate"] is None


def test_vat_sales_verify_on_their_chain(app, client, fair):
    _subject(client, fair)
    body = {
        "lines": [{"product_id": fair.a.products["pot"], "quantity": "2"}],
        "payments": [{"method": "card", "amount": "260.00"}],
    }
    assert post_sale(client, fair.a.token, fair.a.id, body).status_code == 201
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("exhibitor", {"ice": "12345"}, "ice"),
        ("exhibitor", {"ice": "٠٠١٢٣٤٥٦٧٠٠٠٠٨٩"}, "ice"),  # Arabic-Indic digits
        ("exhibitor", {"ice": "001 234 567 000"}, "ice"),
        ("exhibitor", {"vat": "maybe"}, "vat"),
        ("product", {"vat_rate": 20}, "vat_rate"),  # a string, as the contract says
        ("product", {"vat_rate": "15"}, "vat_rate"),
    ],
)
def test_a_wrong_ice_or_vat_names_its_field_and_writes_nothing(
    app, client, fair, path, body, field
):
    url = (
        f"/api/v1/exhibitors/{fair.a.id}"
        if path == "exhibitor"
        else f"/api/v1/products/{fair.a.products['pot']}"
    )
    before = row_counts(app)
    answer = client.patch(url, json=body, headers=auth(fair.organiser_token))
    assert answer.status_code == 422 and field in answer.json["errors"], answer.json
    assert row_counts(app) == before


def _vat_receipt(**changes):
    receipt = typical_receipt(lines=typical_receipt().lines[:3], ice=ICE)
    vat = [ReceiptVat("10", "56.82", "5.68"), ReceiptVat("20", "300.00", "60.00")]
    return typical_receipt(lines=receipt.lines, ice=ICE, vat=vat, **changes)


@pytest.mark.parametrize("paper", [80, 58])
def test_the_receipt_shows_the_ice_and_the_vat_by_rate(paper):
    [printed] = decode(render_receipt(_vat_receipt(), paper), PAPERS[paper].dots)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    printed.to_image().save(OUTPUT / f"receipt-vat-{paper}mm.png")
    text = "\n".join(printed.text_lines)
    assert f"ICE {ICE}" in text
    assert "TVA 10% (HT 56.82)" in text and "5.68 DH" in text
    assert "TVA 20% (HT 300.00)" in text and "60.00 DH" in text
    assert "Exonéré" not in text
    # Each rate's Arabic label with its amount, on one line where the paper is wide enough
    # (on 58 mm the label wraps; the amount stays at the end of its last line).
    for rate, amount in (("10", "5.68"), ("20", "60.00")):
        line = f"الضريبة على القيمة المضافة {rate}%:\u00a0{amount}\u00a0درهم"
        assert has_drawn(printed, line, 24, paper=paper) == (paper == 80), rate


def test_an_exempt_sellers_receipt_says_so_in_both_languages():
    [printed] = decode(render_receipt(typical_receipt(), 58), PAPERS[58].dots)
    printed.to_image().save(OUTPUT / "receipt-vat-exempt-58mm.png")
    assert "Exonéré de TVA" in printed.text_lines
    assert has_drawn(printed, "معفى من الضريبة على القيمة المضافة", 24, paper=58)
    assert not any(line.startswith("ICE") for line in printed.text_lines)


def test_reports_show_the_vat_collected_by_booth_and_rate(client, fair):
    _subject(client, fair)
    sold = []
    for product, quantity, amount in (("pot", "2", "260.00"), ("honey", "1", "250.00")):
        body = {
            "lines": [{"product_id": fair.a.products[product], "quantity": quantity}],
            "payments": [{"method": "card", "amount": amount}],
        }
        sold.append(post_sale(client, fair.a.token, fair.a.id, body).json)
    voided = post_sale(
        client,
        fair.a.token,
        fair.a.id,
        {
            "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
            "payments": [{"method": "card", "amount": "130.00"}],
        },
    ).json
    client.post(
        f"/api/v1/sales/{voided['id']}/void", json={"reason": "erreur"}, headers=auth(fair.a.token)
    )
    exempt = {
        "lines": [{"product_id": fair.b.products["teapot"], "quantity": "1"}],
        "payments": [{"method": "card", "amount": "380.00"}],
    }
    post_sale(client, fair.b.token, fair.b.id, exempt)
    # 260.00 at 20 %: 43.33; 250.00 at 10 %: 22.73; the voided sale is out.
    by_rate = [
        {"rate": "10", "base": "227.27", "amount": "22.73"},
        {"rate": "20", "base": "216.67", "amount": "43.33"},
    ]
    organiser = auth(fair.organiser_token)
    impact = client.get(f"/api/v1/events/{fair.event_id}/reports/impact", headers=organiser).json
    booths = {row["booth"]: row["vat_collected"] for row in impact["exhibitors"]}
    assert booths == {"A01": "66.06", "B07": "0.00"}
    assert impact["totals"]["vat_collected"] == "66.06" and impact["vat_by_rate"] == by_rate
    day = sold[0]["period_date"]
    daily = client.get(
        f"/api/v1/events/{fair.event_id}/reports/daily?date={day}", headers=organiser
    ).json
    assert daily["totals"]["vat_collected"] == "66.06" and daily["vat_by_rate"] == by_rate
    csv_text = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact?format=csv", headers=organiser
    ).get_data(as_text=True)
    header = csv_text.splitlines()[0]
    assert header.endswith("TVA collectée (DH)"), header
    statement = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/statement", headers=auth(fair.a.token)
    ).json
    assert statement["totals"]["vat_collected"] == "66.06"
    assert statement["vat_by_rate"] == by_rate
