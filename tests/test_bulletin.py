"""The evening bulletin: the figures equal the daily reports', as JSON, a PDF page and a
picture for a messaging app, in Arabic and in French, from the dashboard in one tap."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pypdfium2
from PIL import Image

from tests.printing_support import OUTPUT
from tests.support import auth, post_sale, previous_edition, sign_in_page, simple_sale
from tests.test_closings import CASABLANCA, _at


def _fair_days(client, fair):
    """Sales two days ago, yesterday and today, on both booths."""
    today = datetime.now(CASABLANCA).date()
    for back, booth, product in ((2, fair.a, "pot"), (1, fair.b, "teapot"), (0, fair.a, "honey")):
        amount = {"pot": "130.00", "teapot": "380.00", "honey": "250.00"}[product]
        quantity = "1.000" if product == "honey" else "1"
        body = simple_sale(booth.products[product], quantity=quantity, amount=amount)
        if back:
            body["sold_at"] = _at(today - timedelta(days=back), 11)
        assert post_sale(client, booth.token, booth.id, body).status_code == 201
    return today


def test_the_bulletins_figures_are_the_daily_reports(client, fair):
    today = _fair_days(client, fair)
    url = f"/api/v1/events/{fair.event_id}/reports"
    bulletin = client.get(f"{url}/bulletin", headers=auth(fair.organiser_token)).json
    daily = {
        day: client.get(f"{url}/daily?date={day}", headers=auth(fair.organiser_token)).json
        for day in (today - timedelta(days=2), today - timedelta(days=1), today)
    }
    assert bulletin["day_number"] == 3 and bulletin["date"] == today.isoformat()
    assert bulletin["day"]["net"] == daily[today]["totals"]["net"] == "250.00"
    assert bulletin["day"]["sales_count"] == 1 and bulletin["day"]["exhibitors_selling"] == 1
    assert [d["net"] for d in bulletin["days"]] == [r["totals"]["net"] for r in daily.values()]
    assert bulletin["so_far"] == {"net": "760.00", "sales_count": 3}
    assert bulletin["provisional"] is True and bulletin["coverage"]["final_share"] == "0.0"
    assert {s["key"] for s in bulletin["sectors"]}  # the fair's sectors, the largest first
    # An earlier day's bulletin counts the fair up to that day.
    earlier = client.get(
        f"{url}/bulletin?date={today - timedelta(days=1)}", headers=auth(fair.organiser_token)
    ).json
    assert earlier["so_far"] == {"net": "510.00", "sales_count": 2} and earlier["day_number"] == 2
    # Beside the previous edition's same days (it sold nothing on this server).
    headers = auth(fair.organiser_token)
    previous_edition(client, fair)
    compared = client.get(f"{url}/bulletin", headers=headers).json
    assert [d["previous_net"] for d in compared["days"]] == ["0.00", "0.00", "0.00"]
    assert compared["previous_edition"] == {
        "name": "2e Salon",
        "name_ar": "المعرض الثاني",
        "net_same_days": "0.00",
    }
    # Organisers only: a booth's cashier reads its own statement, not the fair's bulletin.
    assert client.get(f"{url}/bulletin", headers=auth(fair.a.token)).status_code == 403


def test_the_bulletin_as_a_pdf_page_and_a_picture_in_both_languages(client, fair):
    _fair_days(client, fair)
    url = f"/api/v1/events/{fair.event_id}/reports/bulletin"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for language in ("ar", "fr"):
        pdf = client.get(f"{url}?format=pdf&lang={language}", headers=auth(fair.organiser_token))
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        document = pypdfium2.PdfDocument(pdf.data)
        assert len(document) == 1  # one page
        document[0].render(scale=1.5).to_pil().save(OUTPUT / f"bulletin-{language}.png")
        text = document[0].get_textpage().get_text_range()
        assert ("Bulletin du soir" in text) == (language == "fr")
        assert "760" in text
        png = client.get(f"{url}?format=png&lang={language}", headers=auth(fair.organiser_token))
        assert png.status_code == 200 and png.mimetype == "image/png"
        picture = Image.open(io.BytesIO(png.data))
        picture.save(OUTPUT / f"bulletin-picture-{language}.png")
        assert picture.size == (1080, 1350) and len(png.data) < 200_000


def test_the_dashboard_gives_the_bulletin_in_one_tap(client, fair):
    _fair_days(client, fair)
    sign_in_page(client)
    page = client.get(f"/dashboard?event={fair.event_id}").get_data(as_text=True)
    link = re.search(r'href="(/reports/bulletin\.png[^"]*)"', page).group(1).replace("&amp;", "&")
    picture = client.get(link)
    assert picture.status_code == 200 and picture.mimetype == "image/png"
