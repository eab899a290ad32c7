"""The till as a fair uses it: two tabs of one phone, a Wi-Fi that answers with a login page,
a sale the server keeps failing, answers lost after the server acted. Real Chromium against
a real ``pos serve``; these are checks of the page, so SQLite alone serves them."""

from __future__ import annotations

import json
import time

import pytest

from tests.support import auth
from tests.test_phone_printer_browser import _choose, _fake, _fetched_jobs, _printer_on_phone
from tests.till_support import FIELD_PHONE, STICKING_OUT, open_paired_till, till_call

on_sqlite = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
in_both_languages = pytest.mark.parametrize("language", ["fr", "ar"])


def _server_sales(server, fair) -> list[dict]:
    status, _, listing = server.request(
        "GET", f"/api/v1/exhibitors/{fair.a.id}/sales?limit=1000", None, auth(fair.a.token)
    )
    assert status == 200
    return listing["items"]


def _sell(page, fair, count: int = 1) -> None:
    for _ in range(count):
        page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
        page.click("#pay")
        page.click('[data-method="card"]')
        page.click("#confirm")
        page.click("#new-sale")


def _words(page) -> dict:
    """The till's words in its language, as the page has them."""
    return page.evaluate("JSON.parse(document.getElementById('strings').textContent)")


def _outbox(page) -> list[dict]:
    return till_call(page, "store", "m.outboxItems()")


@on_sqlite
@in_both_languages
def test_a_login_page_refuses_nothing_and_a_failing_sale_holds_back_none(
    browser, server, fair, language
):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)

    # The Wi-Fi's login page answers every request for a while, 200 and HTML.
    def portal(route):
        route.fulfill(status=200, content_type="text/html", body="<h1>Wi-Fi</h1>")

    page.route("**/api/v1/exhibitors/*/sales", portal)
    _sell(page, fair, 3)
    page.wait_for_selector("#outbox-why:not([hidden])")
    assert page.text_content("#outbox-count") == "3"
    assert page.text_content("#outbox-why") == _words(page)["outbox_portal"]
    # The header wraps rather than squeeze the booth's name under the dot (a phone).
    booth = page.eval_on_selector(".booth", "element => element.getBoundingClientRect().width")
    assert booth >= 100 and page.evaluate(STICKING_OUT)["out"] == []
    assert [item.get("state") for item in _outbox(page)] == [None, None, None]  # none refused
    assert _server_sales(server, fair) == []

    # Then the server, but one sale it fails with 500 every time.
    stuck = min(_outbox(page), key=lambda item: item["created"])["key"]

    def fail_one(route):
        if route.request.headers.get("idempotency-key") == stuck:
            route.fulfill(status=500, content_type="application/problem+json", body="{}")
        else:
            route.continue_()

    page.unroute("**/api/v1/exhibitors/*/sales")
    page.route("**/api/v1/exhibitors/*/sales", fail_one)
    context.set_offline(True)
    _sell(page, fair, 3)  # three more, made offline behind it
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox-count:text-is('1')", timeout=30_000)
    assert len(_server_sales(server, fair)) == 5  # the five behind it went out
    [left] = _outbox(page)
    assert left["key"] == stuck and left["why"] == "busy" and left.get("state") is None
    page.unroute("**/api/v1/exhibitors/*/sales")
    # Its backoff is over (without waiting for it here).
    till_call(
        page,
        "store",
        "m.outboxItems().then((items) => Promise.all("
        "items.map((item) => m.outboxPut({...item, next_at: 0}))))",
    )
    till_call(page, "outbox", "m.flush()")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    assert len(_server_sales(server, fair)) == 6
    context.close()


@on_sqlite
@in_both_languages
def test_two_tabs_of_one_till_record_and_print_each_sale_once(browser, server, fair, language):
    _printer_on_phone(server, fair)
    context, first = open_paired_till(
        browser, server, fair, language=language, viewport=FIELD_PHONE, init_script=_fake()
    )
    _choose(first, "bluetooth", named="MTP-II")
    second = context.new_page()
    fetched, fetched_second = _fetched_jobs(first), _fetched_jobs(second)
    second.goto("/till")
    second.wait_for_selector(".product")
    for _ in range(10):
        _sell(first, fair)
        _sell(second, fair)
    for page in (first, second):
        page.wait_for_selector("#outbox", state="hidden", timeout=30_000)
    sales = _server_sales(server, fair)
    assert len(sales) == 20

    def printed() -> bool:
        return all(sale["print_status"] == "printed" for sale in _server_sales(server, fair))

    for _ in range(100):
        if printed():
            break
        till_call(first, "printing", "m.printWaiting()")
        first.wait_for_timeout(200)
    assert printed()
    # Every receipt's bytes fetched (so sent to the printer) once, by one tab or the other.
    both = fetched + fetched_second
    assert len(both) == 20 and len(set(both)) == 20, both
    context.close()


@on_sqlite
@in_both_languages
def test_a_void_and_a_reprint_whose_answers_are_lost_act_once(browser, server, fair, language):
    server.request(
        "PUT",
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        {"connection": "tcp://127.0.0.1:9", "profile": "TM-T20II", "paper_width_mm": 80},
        auth(fair.organiser_token),
    )
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#pay")
    page.click('[data-method="card"]')
    page.click("#confirm")
    page.wait_for_selector("#receipt-number:text('A01-000001')")

    lost = {"void": 0, "reprint": 0}

    def lose_first_answer(route):
        kind = route.request.url.rsplit("/", 1)[1]
        route.fetch()  # the server acts...
        if lost[kind] == 0:
            lost[kind] += 1
            route.abort()  # ...but its answer never reaches the phone
        else:
            route.continue_()

    page.route("**/api/v1/sales/*/void", lose_first_answer)
    page.route("**/api/v1/sales/*/reprint", lose_first_answer)
    page.click("#reprint")
    page.wait_for_selector("#toast:not([hidden])")
    page.click("#void-last")
    page.fill("#reason-text", "erreur de saisie")
    page.click("#reason-ok")
    voided = _words(page)["voided"]
    page.wait_for_selector(f"#result-state:text-is('{voided}')", timeout=15_000)
    assert lost == {"void": 1, "reprint": 1}
    [sale] = _server_sales(server, fair)
    assert sale["status"] == "voided"
    _, _, journal = server.request(
        "GET",
        f"/api/v1/events/{fair.event_id}/journal?kind=sale.reprinted",
        None,
        auth(fair.organiser_token),
    )
    assert journal["total"] == 1  # one copy, though the phone asked twice
    context.close()


@on_sqlite
def test_the_till_asks_to_keep_its_storage_and_refused_sales_stay_one_record(browser, server, fair):
    asked = """
      window.__persistAsked = 0;
      if (navigator.storage) {
        navigator.storage.persist = async () => { window.__persistAsked += 1; return true; };
      }
    """
    context, page = open_paired_till(browser, server, fair, init_script=asked)
    assert page.evaluate("window.__persistAsked") >= 1
    # A refused sale kept by a till of before, in its cache store: taken into the outbox as
    # refused, in one transaction, at the next start.
    legacy = {
        "key": "7b0c6f7e-2f4e-4a55-9d1d-0c8f1e2a3b4c",
        "body": {"lines": [{"product_id": 999, "quantity": "1"}], "payments": []},
        "created": 1,
        "problem": {"detail": "Not a product of this booth."},
    }
    till_call(page, "store", f"m.cacheSet('refused:{legacy['key']}', {json.dumps(legacy)})")
    page.reload()
    page.wait_for_selector(".product")
    [item] = _outbox(page)
    assert (item["key"], item["state"]) == (legacy["key"], "refused")
    keys = till_call(page, "store", "m.cacheKeys()")
    assert keys and not [key for key in keys if key.startswith("refused:")]
    context.close()


@on_sqlite
@in_both_languages
def test_an_upgrade_reaches_the_phone_between_sales_and_loses_nothing(
    browser, database_url, fair, tmp_path, language
):
    import shutil
    from pathlib import Path

    from tests.livesupport import LiveServer

    folder = tmp_path / "till-static"
    shutil.copytree(Path(__file__).resolve().parent.parent / "pos" / "till" / "static", folder)
    server = LiveServer(
        database_url,
        extra_env={"POS_TILL_STATIC_FOLDER": str(folder)},
        log_path=tmp_path / "serve.log",
    )
    try:
        server.wait_ready()
        context, page = open_paired_till(
            browser, server, fair, language=language, viewport=FIELD_PHONE
        )
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        # Offline, three sales wait on the phone.
        context.set_offline(True)
        _sell(page, fair, 3)
        assert page.text_content("#outbox-count") == "3"
        # The server moves to new code meanwhile.
        script = folder / "main.js"
        script.write_text(script.read_text() + '\nwindow.__tillVersion = "v2";\n')
        # A member has a pot in the cart when the Wi-Fi comes back.
        page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_selector("#update-ready:not([hidden])", timeout=60_000)
        page.wait_for_selector("#outbox", state="hidden", timeout=30_000)
        # Not taken with the cart open: the cart is as it was, the old code still runs.
        assert page.text_content("#total") == "130.00"
        assert page.evaluate("window.__tillVersion") is None
        page.click("#pay")
        page.click('[data-method="card"]')
        page.click("#confirm")
        page.wait_for_selector("#receipt-number:text('A01-000004')")
        page.click("#new-sale")  # between two sales: the new till
        page.wait_for_function("() => window.__tillVersion === 'v2'", timeout=30_000)
        page.wait_for_selector(".product")
        sales = _server_sales(server, fair)
        assert sorted(sale["receipt_number"] for sale in sales) == [
            f"A01-00000{n}" for n in range(1, 5)
        ]
        context.close()
    finally:
        server.stop()


@on_sqlite
def test_a_reload_on_a_network_that_never_answers_shows_the_kept_till(browser, server, fair):
    context, page = open_paired_till(browser, server, fair)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # the page kept once more by the worker now in charge
    page.wait_for_selector(".product")
    # The Wi-Fi takes every request and answers none (the service worker's too).
    context.route("**/till", lambda route: None)
    started = time.monotonic()
    page.reload(wait_until="domcontentloaded", timeout=15_000)
    page.wait_for_selector(".product", timeout=15_000)
    assert time.monotonic() - started < 8  # the kept page after 3 s, not a blank one
    context.close()


@on_sqlite
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_pin_booth_sells_offline_and_the_sale_says_who_sold(browser, server, fair, language):
    from tests.till_support import keypad

    status, _, fatima = server.request(
        "POST",
        f"/api/v1/exhibitors/{fair.a.id}/members",
        {"name": "Fatima", "pin": "4821"},
        auth(fair.organiser_token),
    )
    assert status == 201
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    page.wait_for_selector("#lock:not([hidden])")
    # The Wi-Fi goes; the member chosen again from the lock.
    context.set_offline(True)
    page.click(f'#members [data-member="{fatima["id"]}"]')
    page.wait_for_selector("#keypad:not([hidden])")
    keypad(page, "1111")
    page.wait_for_selector("#toast:not([hidden])")
    # A wrong PIN, refused offline too: still locked, the PIN asked again.
    assert page.is_visible("#lock")
    page.wait_for_selector("#keypad:not([hidden])")
    keypad(page, "4821")
    page.wait_for_selector("#lock", state="hidden")
    _sell(page, fair, 1)
    assert page.text_content("#outbox-count") == "1"
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    [sale] = _server_sales(server, fair)
    assert sale["member_id"] == fatima["id"]
    _, _, statement = server.request(
        "GET", f"/api/v1/exhibitors/{fair.a.id}/statement", None, auth(fair.a.token)
    )
    assert [(row["name"], row["sales_count"]) for row in statement["by_member"]] == [("Fatima", 1)]
    page.click("#open-today")
    page.wait_for_selector("#today-members:not([hidden])")
    assert "Fatima" in page.text_content("#today-members")
    context.close()


@on_sqlite
def test_the_till_follows_the_money_rules_the_server_follows(browser, server, fair):
    from pathlib import Path

    cases = json.loads((Path(__file__).parent / "data" / "money_cases.json").read_text())
    context, page = open_paired_till(browser, server, fair)
    found = page.evaluate(
        """async (cases) => {
          const m = await import("/till/static/money.js");
          return {
            money: cases.money.map(([text]) => m.parseMoney(text)),
            money_refused: cases.money_refused.map((text) => m.parseMoney(text)),
            quantity: cases.quantity.map(([text]) => m.parseQuantity(text)),
            quantity_refused: cases.quantity_refused.map((text) => m.parseQuantity(text)),
            format_money: cases.format_money.map(([cents]) => m.formatMoney(cents)),
            format_quantity: cases.format_quantity.map(([milli]) => m.formatQuantity(milli)),
            line_amount: cases.line_amount.map(([q, p]) => m.lineAmount(q, p)),
            typed: cases.typed_at_the_till.map(([text]) => m.parseMoney(text)),
          };
        }""",
        cases,
    )
    assert found["money"] == [centimes for _, centimes in cases["money"]]
    assert found["money_refused"] == [None] * len(cases["money_refused"])
    assert found["quantity"] == [milli for _, milli in cases["quantity"]]
    assert found["quantity_refused"] == [None] * len(cases["quantity_refused"])
    assert found["format_money"] == [text for _, text in cases["format_money"]]
    assert found["format_quantity"] == [text for _, text in cases["format_quantity"]]
    assert found["line_amount"] == [amount for *_, amount in cases["line_amount"]]
    # What a phone's keyboard types (a comma, Arabic digits): the till reads it, and sends
    # the server only plain decimals.
    assert found["typed"] == [cents for _, cents in cases["typed_at_the_till"]]
    context.close()


@on_sqlite
def test_a_newer_till_in_another_tab_moves_the_schema_forward_without_being_blocked(
    browser, server, fair
):
    context, _older = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)
    second = context.new_page()
    second.goto("/till/pair")  # any page of the till's origin
    opened = second.evaluate(
        """() => new Promise((resolve) => {
          const request = indexedDB.open("tadamon-till", 2);  // a newer till's schema
          request.onblocked = () => resolve("blocked");
          request.onsuccess = () => { request.result.close(); resolve("opened"); };
          request.onerror = () => resolve("error");
        })"""
    )
    assert opened == "opened"  # the older tab let go of the database
    context.close()
