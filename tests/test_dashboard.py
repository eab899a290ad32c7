"""Organisers' pages: sign-in with CSRF, the live figures, the report pages."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.livesupport import LiveServer
from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, auth, post_sale, simple_sale
from tests.till_support import PHONE, SCREENS


def _csrf(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def _sign_in(client, password=ORGANISER_PASSWORD):
    token = _csrf(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={
            "email": ORGANISER_EMAIL,
            "password": password,
            "csrf_token": token,
            "next": "/dashboard",
        },
    )


def test_the_server_address_leads_to_the_login_then_the_dashboard(client, fair):
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert home.request.path == "/login"
    _sign_in(client)
    assert client.get("/", follow_redirects=True).request.path == "/dashboard"


def test_pages_need_an_organiser_signed_in_with_csrf(client, fair):
    assert client.get("/dashboard").status_code == 302
    assert client.get("/dashboard/live.json").status_code == 302
    no_token = client.post(
        "/login", data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
    )
    assert no_token.status_code == 400
    assert _sign_in(client, password="wrong").status_code == 401
    response = _sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_live_figures_daily_and_impact_pages(client, fair):
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"], method="cash"))
    _sign_in(client)
    live = client.get(f"/dashboard/live.json?event={fair.event_id}").json
    assert live["totals"]["net"] == "130.00" and live["totals"]["sales_count"] == 1
    assert [row["booth"] for row in live["not_selling"]] == ["B07"]
    assert live["by_sector"][0]["net"] == "130.00"
    assert sum(hour["sales_count"] for hour in live["by_hour"]) == 1
    daily = client.get(f"/reports/daily?event={fair.event_id}").get_data(as_text=True)
    assert "130,00" in daily and "B07" in daily  # amounts written the French way
    impact = client.get(f"/reports/impact?event={fair.event_id}")
    assert impact.status_code == 200 and "130,00" in impact.get_data(as_text=True)
    client.get("/lang/ar?next=/dashboard")
    impact = client.get(f"/reports/impact?event={fair.event_id}").get_data(as_text=True)
    assert "130.00" in impact and "درهم" in impact and "MAD" not in impact
    pdf = client.get(f"/reports/impact.pdf?event={fair.event_id}")
    assert pdf.data.startswith(b"%PDF")
    assert client.get(f"/reports/impact.exe?event={fair.event_id}").status_code == 404


def test_the_dashboard_updates_by_itself_within_5_seconds(browser, database_url, fair, tmp_path):
    server = LiveServer(database_url, log_path=tmp_path / "serve.log")
    server.wait_ready()
    try:
        for language in ("fr", "ar"):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, base_url=server.base
            )
            page = context.new_page()
            page.goto(f"/lang/{language}?next=/login")
            page.fill("#email", ORGANISER_EMAIL)
            page.fill("#password", ORGANISER_PASSWORD)
            page.click("#sign-in")
            page.wait_for_url("**/dashboard")
            before = page.text_content("#fair-total")
            headers = {**auth(fair.a.token), "Idempotency-Key": f"dash-{language}"}
            status, _, _ = server.request(
                "POST",
                f"/api/v1/exhibitors/{fair.a.id}/sales",
                simple_sale(fair.a.products["pot"]),
                headers,
            )
            assert status == 201
            started = time.monotonic()
            expect(page.locator("#fair-total")).not_to_have_text(before, timeout=5000)
            print(f"\ndashboard updated {time.monotonic() - started:.1f} s after the sale")
            SCREENS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENS / f"dashboard-{language}.png"), full_page=True)
            if language == "ar":
                assert page.get_attribute("html", "dir") == "rtl"
            page.set_viewport_size(PHONE)
            page.screenshot(path=str(SCREENS / f"dashboard-{language}-360.png"))
            context.close()
    finally:
        server.stop()
