"""Reports: every figure checked against an independent computation over the sales."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import auth, post_sale, previous_edition, simple_sale

ZONE = ZoneInfo("Africa/Casablanca")
OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "reports"


def _at(day, hour, minute=0, second=0):
    return datetime.combine(day, time(hour, minute, second), ZONE).isoformat()


@pytest.fixture
def fair_sales(client, fair):
    """Sales with voids, discounts, weights and both sides of local midnight."""
    today = datetime.now(ZONE).date()
    yesterday = today - timedelta(days=1)
    a, b = fair.a.products, fair.b.products
    bodies = [
        (
            fair.a,
            {
                "lines": [
                    {"product_id": a["honey"], "quantity": "0.250"},
                    {"product_id": a["pot"], "quantity": "2", "discount": "10.00"},
                ],
                "payments": [{"method": "cash", "amount": "312.50", "tendered": "400.00"}],
                "sold_at": _at(yesterday, 23, 59, 50),
            },
        ),
        (
            fair.a,
            {
                "lines": [{"product_id": a["pot"], "quantity": "1"}],
                "payments": [{"method": "card", "amount": "130.00"}],
                "sold_at": _at(today, 0, 0, 10),
            },
        ),
        (
            fair.a,
            {
                "lines": [{"product_id": a["carpet"], "quantity": "1", "unit_price": "3800.00"}],
                "payments": [
                    {"method": "transfer", "amount": "2000.00"},
                    {"method": "cash", "amount": "1800.00"},
                ],
                "sold_at": _at(yesterday, 15),
            },
        ),
        (
            fair.a,
            {
                "lines": [{"product_id": a["honey"], "quantity": "0.333"}],
                "payments": [{"method": "mobile", "amount": "83.25"}],
                "sold_at": _at(yesterday, 11),
            },
        ),
        (
            fair.b,
            {
                "lines": [
                    {"product_id": b["saffron"], "quantity": "3"},
                    {"product_id": b["teapot"], "quantity": "1"},
                ],
                "payments": [{"method": "cash", "amount": "485.00"}],
                "sold_at": _at(yesterday, 17),
            },
        ),
        (
            fair.b,
            {
                "lines": [{"product_id": b["saffron"], "quantity": "1.500"}],
                "payments": [{"method": "card", "amount": "52.50"}],
            },
        ),
        (
            fair.b,
            {
                # Paid in cash twice (two banknotes' worth from two purses): one cash sale.
                "lines": [{"product_id": b["saffron"], "quantity": "2"}],
                "payments": [
                    {"method": "cash", "amount": "50.00"},
                    {"method": "cash", "amount": "20.00"},
                ],
            },
        ),
    ]
    sales = [post_sale(client, booth.token, booth.id, body) for booth, body in bodies]
    assert all(response.status_code == 201 for response in sales), [s.json for s in sales]
    for index in (3, 5):  # void the weighed honey of yesterday and today's saffron
        voided = client.post(
            f"/api/v1/sales/{sales[index].json['id']}/void",
            json={"reason": "erreur"},
            headers=auth(sales_token(fair, index)),
        )
        assert voided.status_code == 200
    return {"today": today, "yesterday": yesterday}


def sales_token(fair, index):
    return fair.a.token if index < 4 else fair.b.token


def _all_sales(client, fair):
    sales = []
    for booth in (fair.a, fair.b):
        listing = client.get(
            f"/api/v1/exhibitors/{booth.id}/sales?limit=1000", headers=auth(fair.organiser_token)
        ).json
        sales += listing["items"]
    return sales


def _cents(text):
    return int(Decimal(text) * 100)


def _expected_daily(sales, day):
    """The daily figures recomputed from the sales themselves, the slow and obvious way."""
    per = defaultdict(
        lambda: {
            "sales_count": 0,
            "voided_count": 0,
            "gross": 0,
            "voided": 0,
            "by_method": defaultdict(int),
        }
    )
    for sale in sales:
        local = datetime.fromisoformat(sale["sold_at"]).astimezone(ZONE).date()
        if local != day:
            continue
        row = per[sale["exhibitor_id"]]
        row["gross"] += _cents(sale["total"])
        if sale["status"] == "voided":
            row["voided_count"] += 1
            row["voided"] += _cents(sale["total"])
        else:
            row["sales_count"] += 1
            for payment in sale["payments"]:
                row["by_method"][payment["method"]] += _cents(payment["amount"])
    return per


def test_daily_report_matches_the_sales_on_both_sides_of_midnight(client, fair, fair_sales):
    sales = _all_sales(client, fair)
    for day in (fair_sales["yesterday"], fair_sales["today"]):
        report = client.get(
            f"/api/v1/events/{fair.event_id}/reports/daily?date={day}",
            headers=auth(fair.organiser_token),
        ).json
        expected = _expected_daily(sales, day)
        assert report["date"] == str(day) and report["currency"] == "MAD"
        assert {row["exhibitor_id"] for row in report["exhibitors"]} == {fair.a.id, fair.b.id}
        for row in report["exhibitors"]:
            want = expected[row["exhibitor_id"]]
            assert row["sales_count"] == want["sales_count"], (day, row)
            assert row["voided_count"] == want["voided_count"]
            assert _cents(row["gross"]) == want["gross"]
            assert _cents(row["voided"]) == want["voided"]
            assert _cents(row["net"]) == want["gross"] - want["voided"]
            assert {m: _cents(v) for m, v in row["by_method"].items()} == dict(want["by_method"])
        assert _cents(report["totals"]["net"]) == sum(
            w["gross"] - w["voided"] for w in expected.values()
        )
    yesterday = client.get(
        f"/api/v1/events/{fair.event_id}/reports/daily?date={fair_sales['yesterday']}",
        headers=auth(fair.organiser_token),
    ).json
    a_row = next(r for r in yesterday["exhibitors"] if r["exhibitor_id"] == fair.a.id)
    # 23:59:50 local yesterday counts yesterday, 00:00:10 today counts today.
    assert (a_row["sales_count"], a_row["voided_count"], a_row["net"]) == (2, 1, "4112.50")


def test_a_cashier_sees_only_its_own_booth(client, fair, fair_sales):
    day = fair_sales["yesterday"]
    own = client.get(
        f"/api/v1/events/{fair.event_id}/reports/daily?date={day}", headers=auth(fair.b.token)
    ).json
    assert [row["exhibitor_id"] for row in own["exhibitors"]] == [fair.b.id]
    assert own["totals"]["net"] == own["exhibitors"][0]["net"]
    impact = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.b.token)
    ).json
    assert [row["exhibitor_id"] for row in impact["exhibitors"]] == [fair.b.id]
    assert "Coopérative Imilchil" not in str(impact)


def _round_half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_impact_report_matches_the_sales(client, fair, fair_sales):
    sales = _all_sales(client, fair)
    report = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.organiser_token)
    ).json
    completed = [s for s in sales if s["status"] == "completed"]
    for row in report["exhibitors"]:
        mine = [s for s in completed if s["exhibitor_id"] == row["exhibitor_id"]]
        net = sum(Decimal(s["total"]) for s in mine)
        assert Decimal(row["net"]) == net
        assert row["sales_count"] == len(mine)
        assert Decimal(row["avg_basket"]) == _round_half_up(net / len(mine))
        items = sum(
            int(Decimal(line["quantity"])) if line["unit"] == "piece" else 1
            for s in mine
            for line in s["lines"]
        )
        assert row["items_sold"] == items
    totals = report["totals"]
    assert Decimal(totals["net"]) == sum(Decimal(s["total"]) for s in completed)
    assert totals["sales_count"] == len(completed)
    assert totals["exhibitors_selling"] == 2
    by_day = defaultdict(Decimal)
    by_method = defaultdict(Decimal)
    for sale in completed:
        by_day[datetime.fromisoformat(sale["sold_at"]).astimezone(ZONE).date().isoformat()] += (
            Decimal(sale["total"])
        )
        for payment in sale["payments"]:
            by_method[payment["method"]] += Decimal(payment["amount"])
    assert {r["key"]: Decimal(r["net"]) for r in report["by_day"]} == dict(by_day)
    assert {r["key"]: Decimal(r["net"]) for r in report["by_method"]} == dict(by_method)
    # A sale counts once for each method it was paid with, however many times.
    sales_by_method = Counter(m for s in completed for m in {p["method"] for p in s["payments"]})
    assert {r["key"]: r["sales_count"] for r in report["by_method"]} == dict(sales_by_method)
    assert {r["key"]: Decimal(r["net"]) for r in report["by_legal_form"]} == {
        "cooperative": Decimal(totals["net"])
    }
    assert sum(Decimal(r["net"]) for r in report["by_province"]) == Decimal(totals["net"])
    assert report["by_women_share"][0]["key"] == "50–75 %"  # 12 women of 20 members
    top = report["top_products"][0]
    assert (top["name"], top["net"]) == ("Tapis Zayane", "3800.00")
    assert report["previous_edition"] is None


def test_impact_downloads_csv_xlsx_pdf(client, fair, fair_sales):
    url = f"/api/v1/events/{fair.event_id}/reports/impact?format="
    headers = auth(fair.organiser_token)
    json_report = client.get(url + "json", headers=headers).json
    OUTPUT.mkdir(parents=True, exist_ok=True)

    response = client.get(url + "csv", headers=headers)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Stand" and rows[1][2] == "تعاونية إملشيل"
    total = rows[len(json_report["exhibitors"]) + 1]
    assert total[0] == "TOTAL" and total[8] == json_report["totals"]["net"]
    # Then a section per table, each breakdown closed by its total (the fair's net).
    titles = [row[0] for row in rows if len(row) == 1]
    assert titles[:3] == ["Chiffres clés", "Forme juridique", "Province"] and "Heure" in titles
    breakdown_totals = [row for row in rows if len(row) == 4 and row[1] == "Total"]
    assert len(breakdown_totals) == 7
    assert all(row[2] == json_report["totals"]["net"] for row in breakdown_totals[:6])

    response = client.get(url + "xlsx", headers=headers)
    (OUTPUT / "impact.xlsx").write_bytes(response.data)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:2] == ["Exposants", "Totaux"]
    assert {"Forme juridique", "Province", "Filière", "Jour", "Paiement", "Produits"} <= set(
        book.sheetnames
    )
    net = book["Exposants"].cell(row=2, column=9)
    assert isinstance(net.value, (int, float)) and net.number_format == "#,##0.00"
    assert Decimal(str(net.value)) == Decimal(json_report["exhibitors"][0]["net"])

    response = client.get(url + "pdf", headers=headers)
    assert response.data.startswith(b"%PDF")
    (OUTPUT / "impact.pdf").write_bytes(response.data)
    document = pypdfium2.PdfDocument(response.data)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    # The fair's net written the French way: "4 797,50".
    whole, cents = json_report["totals"]["net"].split(".")
    assert (
        "Rapport d'impact économique" in text
        and f"{int(whole):,}".replace(",", "\u202f") + f",{cents}" in text
    )
    for index in range(len(document)):
        document[index].render(scale=1.5).to_pil().save(OUTPUT / f"impact-page-{index + 1}.png")

    arabic = pypdfium2.PdfDocument(client.get(url + "pdf&lang=ar", headers=headers).data)
    for index in range(len(arabic)):
        arabic[index].render(scale=1.5).to_pil().save(OUTPUT / f"impact-ar-page-{index + 1}.png")
    arabic_text = arabic[0].get_textpage().get_text_range()
    # Grouped as Arabic is written in Morocco: "4.797,50".
    grouped = f"{int(whole):,}".replace(",", ".")
    assert "Rapport" not in arabic_text and f"{grouped},{cents}" in arabic_text
    journal = client.get(
        f"/api/v1/events/{fair.event_id}/journal?kind=report.exported", headers=headers
    ).json
    assert journal["total"] == 4  # csv, xlsx, pdf, and the pdf in Arabic


def test_statement_for_the_cooperative(client, fair, fair_sales):
    statement = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/statement", headers=auth(fair.a.token)
    ).json
    assert statement["totals"]["net"] == "4242.50"  # 312.50 + 3800.00 + 130.00
    assert [d["date"] for d in statement["by_day"]] == [
        str(fair_sales["yesterday"]),
        str(fair_sales["today"]),
    ]
    assert {m["method"]: m["amount"] for m in statement["by_method"]} == {
        "cash": "2112.50",
        "card": "130.00",
        "transfer": "2000.00",
    }
    pdf = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/statement?format=pdf", headers=auth(fair.a.token)
    )
    assert pdf.data.startswith(b"%PDF")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pypdfium2.PdfDocument(pdf.data)[0].render(scale=1.5).to_pil().save(
        OUTPUT / "statement-page-1.png"
    )
    assert (
        client.get(
            f"/api/v1/exhibitors/{fair.b.id}/statement", headers=auth(fair.a.token)
        ).status_code
        == 404
    )


def test_comparison_with_the_previous_edition(client, fair, fair_sales):
    headers = auth(fair.organiser_token)
    previous_edition(client, fair)
    report = client.get(f"/api/v1/events/{fair.event_id}/reports/impact", headers=headers).json
    assert report["previous_edition"]["name"] == "2e Salon"
    assert report["previous_edition"]["net"] == "0.00"
    assert (
        client.patch(
            f"/api/v1/events/{fair.event_id}",
            headers=headers,
            json={"previous_event_id": fair.event_id},
        ).status_code
        == 422
    )


def _to_centime(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _percent(part, whole) -> str:
    return str((Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_impact_indicators_match_a_computation_over_the_sales(app, client, fair, fair_sales):
    headers = auth(fair.organiser_token)
    report = client.get(f"/api/v1/events/{fair.event_id}/reports/impact", headers=headers).json
    figures = report["indicators"]
    sales = [sale for sale in _all_sales(client, fair) if sale["status"] == "completed"]
    net = {fair.a.id: Decimal(0), fair.b.id: Decimal(0)}
    for sale in sales:
        net[sale["exhibitor_id"]] += Decimal(sale["total"])
    nets = sorted(net.values())
    assert figures["exhibitors"] == 2 and figures["cooperatives"] == 2
    per_exhibitor = figures["net_per_exhibitor"]
    assert per_exhibitor["mean"] == _to_centime(sum(nets) / 2)
    assert per_exhibitor["median"] == _to_centime(statistics.median(nets))
    assert per_exhibitor["deciles"] == [
        _to_centime(v) for v in statistics.quantiles(nets, n=10, method="inclusive")
    ]
    assert figures["share_above_100000"] == "0.0" and figures["exhibitors_above_100000"] == 0
    best = max(net, key=net.get)
    assert figures["best_exhibitor"]["exhibitor_id"] == best
    assert figures["best_exhibitor"]["net"] == _to_centime(net[best])
    payments = [payment for sale in sales for payment in sale["payments"]]
    cash = sum(Decimal(p["amount"]) for p in payments if p["method"] == "cash")
    assert figures["cash_share"] == _percent(cash, sum(Decimal(p["amount"]) for p in payments))
    members = [
        client.get(f"/api/v1/exhibitors/{booth.id}", headers=headers).json
        for booth in (fair.a, fair.b)
    ]
    women = sum(m["women_members"] for m in members)
    assert figures["women_members_share"] == _percent(women, sum(m["members"] for m in members))
    # The fair is not over, so no booth is closed up to its last day.
    assert figures["provisional"] is True
    # Top products name who sold them; the hours add up to the completed sales.
    assert all(row["booth"] in ("A01", "B07") for row in report["top_products"])
    assert sum(row["sales_count"] for row in report["by_hour"]) == len(sales)


def test_the_report_is_final_once_every_booth_is_closed_to_the_last_day(app, client, fair):
    from pos.events.models import Event
    from pos.exhibitors.models import ExhibitorLedger
    from pos.extensions import db

    url = f"/api/v1/events/{fair.event_id}/reports/impact"
    assert client.get(url, headers=auth(fair.organiser_token)).json["indicators"]["provisional"]
    with app.app_context():
        last_day = db.session.get(Event, fair.event_id).ends_on
        for booth in (fair.a, fair.b):
            db.session.get(ExhibitorLedger, booth.id).last_closed_date = last_day
        db.session.commit()
    report = client.get(url, headers=auth(fair.organiser_token)).json
    assert report["indicators"]["provisional"] is False


# No deadline: on a shared, busy machine one example may take longer than 200 ms.
@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**10), min_size=2, max_size=60))
def test_deciles_are_the_inclusive_quantiles_rounded_half_up(amounts):
    from pos.reports.indicators import quantile

    ordered = sorted(amounts)
    expected = statistics.quantiles([Decimal(v) for v in ordered], n=10, method="inclusive")
    assert [quantile(ordered, k, 10) for k in range(1, 10)] == [
        int(v.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for v in expected
    ]


def test_daily_report_downloads_csv_xlsx_pdf(client, fair, fair_sales):
    headers = auth(fair.organiser_token)
    day = fair_sales["yesterday"]
    url = f"/api/v1/events/{fair.event_id}/reports/daily?date={day}&format="
    report = client.get(url + "json", headers=headers).json
    rows = list(
        csv.reader(io.StringIO(client.get(url + "csv", headers=headers).data.decode("utf-8-sig")))
    )
    assert rows[0][:3] == ["Stand", "Nom en français", "Nom en arabe"]
    assert [row[0] for row in rows[1:-1]] == [row["booth"] for row in report["exhibitors"]]
    total = rows[-1]
    assert total[0] == "TOTAL" and total[7] == report["totals"]["net"]
    # The payment methods' columns add up to the net of each booth.
    methods = len(report["totals"]["by_method"])
    for row in rows[1:]:
        assert sum(Decimal(v) for v in row[-methods:]) == Decimal(row[7])

    response = client.get(url + "xlsx", headers=headers)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.title == str(day)
    assert Decimal(str(sheet.cell(row=sheet.max_row, column=8).value)) == Decimal(
        report["totals"]["net"]
    )

    for language in ("fr", "ar"):
        response = client.get(url + f"pdf&lang={language}", headers=headers)
        assert response.mimetype == "application/pdf"
        document = pypdfium2.PdfDocument(response.data)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        for index in range(len(document)):
            document[index].render(scale=1.5).to_pil().save(
                OUTPUT / f"daily-{language}-page-{index + 1}.png"
            )
        text = document[0].get_textpage().get_text_range()
        assert ("Rapport du jour" in text) == (language == "fr")
    # A cashier downloads its own booth's day only.
    own = client.get(url + "csv", headers=auth(fair.a.token)).data.decode("utf-8-sig")
    assert "A01" in own and "B07" not in own


def test_the_daily_print_view_has_the_table_without_the_menus(client, fair, fair_sales):
    from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD

    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"csrf_token": token, "email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD},
    )
    day = fair_sales["yesterday"]
    html = client.get(f"/reports/daily/print?event={fair.event_id}&date={day}").get_data(
        as_text=True
    )
    assert 'id="print"' in html and "A01" in html and "B07" in html
    assert "top-links" not in html  # no menus on paper
    download = client.get(f"/reports/daily.pdf?event={fair.event_id}&date={day}")
    assert download.data.startswith(b"%PDF")


def test_the_reports_answer_what_their_schemas_document(app, client, fair):
    """The JSON reports go out through their output schemas (the OpenAPI document shows
    them): every key a report builds is documented, so none is dropped on the way out."""
    from pos.core.db import utcnow
    from pos.events.models import Event
    from pos.events.services import local_date
    from pos.exhibitors.models import Exhibitor
    from pos.extensions import db
    from pos.reports import services
    from pos.reports.impact import impact_report
    from pos.reports.schemas import DailyReportSchema, ImpactReportSchema, StatementSchema

    assert post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    with app.test_request_context():
        event = db.session.get(Event, fair.event_id)
        exhibitor = db.session.get(Exhibitor, fair.a.id)
        built = {
            ImpactReportSchema: impact_report(event),
            DailyReportSchema: services.daily_report(event, local_date(event, utcnow())),
            StatementSchema: services.statement(exhibitor),
        }
        for schema, report in built.items():
            schema().load(report)  # unknown keys and wrong types raise
            assert schema().dump(report) == report


def test_the_impact_report_says_how_complete_its_figures_are(client, fair):
    """Booth A sold two days ago (closed since) and today; booth B's phone holds 3 sales
    and a refused one, and B closed nothing: the report's coverage says so, and the share
    of the net that is final is A's closed day's."""
    from tests.test_closings import CASABLANCA, _at, _close

    today = datetime.now(CASABLANCA).date()
    before = today - timedelta(days=2)
    earlier = {**simple_sale(fair.a.products["pot"]), "sold_at": _at(before, 11)}
    assert post_sale(client, fair.a.token, fair.a.id, earlier).status_code == 201
    sold = post_sale(
        client, fair.a.token, fair.a.id, simple_sale(fair.a.products["honey"], "1.000", "250.00")
    )
    assert sold.status_code == 201
    for day in (before, today - timedelta(days=1)):
        assert _close(client, fair.a.token, fair.a.id, day).status_code == 201
    heartbeat = client.post(
        "/api/v1/devices/heartbeat",
        json={"outbox": 3, "refused": 1},
        headers=auth(fair.b.token),
    )
    assert heartbeat.status_code == 200
    report = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.organiser_token)
    ).json
    assert report["coverage"] == {
        "sales_waiting_on_phones": 3,
        "booths_waiting": ["B07"],
        "refused_sales": 1,
        "booths_refused": ["B07"],
        "booths_with_days_open": ["B07"],
        "days_open": 2,
        "final_net": "130.00",
        "final_share": "34.2",  # 130 of 380
    }
    # The cashier of A reads its own booth's.
    own = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.a.token)
    ).json["coverage"]
    assert own["booths_waiting"] == [] and own["booths_with_days_open"] == []
