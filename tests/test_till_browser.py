"""The till in a real headless Chromium, phone-sized, against a real ``pos serve``."""

from __future__ import annotations

import json
import time

import pytest

from tests.support import auth
from tests.till_support import FIELD_PHONE, SCREENS, keypad, open_paired_till, screenshot


def _server_sales(server, fair) -> list[dict]:
    status, _, listing = server.request(
        "GET", f"/api/v1/exhibitors/{fair.a.id}/sales", None, auth(fair.a.token)
    )
    assert status == 200
    return sorted(listing["items"], key=lambda sale: sale["id"])


def _change_the_pot(server, fair, changes: dict) -> None:
    """The pot changed by the organiser (as the booth's other phone would), meanwhile."""
    status, _, _ = server.request(
        "PATCH", f"/api/v1/products/{fair.a.products['pot']}", changes, auth(fair.organiser_token)
    )
    assert status == 200


def _sell_pots(page, fair, count: int, method: str = "card") -> None:
    """One sale of ``count`` pots paid by card, from an empty cart."""
    for _ in range(count):
        page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#pay")
    page.click(f'[data-method="{method}"]')
    page.click("#confirm")
    page.click("#new-sale")


def test_ring_up_a_weighed_sale_with_cash_change(browser, server, fair, backend):
    context, page = open_paired_till(browser, server, fair, language="fr")
    page.click(f'.product[data-id="{fair.a.products["honey"]}"]')
    keypad(page, "0.25")  # a quarter kilo of thyme honey
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    assert page.text_content("#total") == "192.50"
    screenshot(page, "till-cart-fr-360.png")
    page.click("#pay")
    page.click('[data-quick="200"]')
    assert page.text_content("#change") == "7.50"
    screenshot(page, "till-payment-fr-360.png")

    started = time.perf_counter()
    page.click("#confirm")
    page.wait_for_selector("#receipt-number:text('A01-000001')")
    pay_to_receipt_ms = (time.perf_counter() - started) * 1000
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / f"pay-to-receipt-{backend}.json").write_text(
        json.dumps({"backend": backend, "pay_to_receipt_ms": round(pay_to_receipt_ms, 1)})
    )
    print(f"\n{backend}: Pay tapped -> receipt number on screen in {pay_to_receipt_ms:.0f} ms")
    assert "7.50" in page.text_content("#result-change")
    screenshot(page, "till-receipt-fr-360.png")

    [sale] = _server_sales(server, fair)
    assert sale["total"] == "192.50"
    assert sale["lines"][0]["quantity"] == "0.250"
    assert sale["payments"] == [
        {"method": "cash", "amount": "192.50", "tendered": "200.00", "change": "7.50"}
    ]
    context.close()


def test_the_arabic_till_is_right_to_left_and_fits_a_phone(browser, server, fair):
    context, page = open_paired_till(browser, server, fair, language="ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.text_content("#pay") == "أداء"
    assert "عسل الزعتر" in page.text_content("#grid")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the page must not scroll sideways on a 360 px phone"
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    screenshot(page, "till-cart-ar-360.png")
    page.click("#pay")
    screenshot(page, "till-payment-ar-360.png")
    page.click("#confirm")
    page.wait_for_selector("#receipt-number:text('A01-000001')")
    screenshot(page, "till-receipt-ar-360.png")
    page.click("#new-sale")
    # One tap back to French, remembered by this phone.
    page.click("#lang")
    page.wait_for_selector("html[dir=ltr]")
    page.reload()
    assert page.get_attribute("html", "lang") == "fr"
    context.close()


def test_three_sales_offline_arrive_once_each_in_order(browser, server, fair):
    context, page = open_paired_till(browser, server, fair)
    context.set_offline(True)
    for count in (1, 2, 3):
        _sell_pots(page, fair, count)
    page.wait_for_selector("#outbox-count:text('3')")
    assert page.is_visible("#outbox")
    assert _server_sales(server, fair) == []
    context.set_offline(False)
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    sales = _server_sales(server, fair)
    assert [s["receipt_number"] for s in sales] == ["A01-000001", "A01-000002", "A01-000003"]
    assert [s["total"] for s in sales] == ["130.00", "260.00", "390.00"]  # in the order made
    context.close()


def test_sales_waiting_survive_a_reload_and_a_lost_answer(browser, server, fair):
    context, page = open_paired_till(browser, server, fair)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    _sell_pots(page, fair, 1)
    _sell_pots(page, fair, 2)
    page.wait_for_selector("#outbox-count:text('2')")
    page.reload()  # the page comes from the service worker; the outbox from IndexedDB
    page.wait_for_selector("#outbox-count:text('2')")

    # The network comes back, but the first answer is lost on the way: the sale was
    # recorded, the till does not know it and sends it again with the same key.
    lost = {"count": 0}

    def lose_first_answer(route):
        if lost["count"] == 0:
            lost["count"] += 1
            route.fetch()  # reaches the server...
            route.abort()  # ...but the answer never reaches the phone
        else:
            route.continue_()

    page.route("**/api/v1/exhibitors/*/sales", lose_first_answer)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    assert lost["count"] == 1
    sales = _server_sales(server, fair)
    assert [s["total"] for s in sales] == ["130.00", "260.00"]  # each once, in order
    context.close()


def test_five_wrong_pins_lock_the_till(browser, server, fair):
    status, _, member = server.request(
        "POST",
        f"/api/v1/exhibitors/{fair.a.id}/members",
        {"name": "Fatima", "pin": "2468"},
        auth(fair.a.token),
    )
    assert status == 201
    context, page = open_paired_till(browser, server, fair)
    page.wait_for_selector("#lock:not([hidden])")
    screenshot(page, "till-lock-fr-360.png")
    for _ in range(5):
        page.click(f'[data-member="{member["id"]}"]')
        keypad(page, "1111")
        page.wait_for_selector("#toast:not([hidden])")
        assert page.text_content("#toast") == "Code personnel erroné"
        page.click("#keypad-cancel")
    page.click(f'[data-member="{member["id"]}"]')
    keypad(page, "2468")  # the right PIN, too late
    page.wait_for_selector("#toast:text('bloqué')")
    assert page.is_visible("#lock")
    context.close()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_double_tap_on_pay_records_one_sale(browser, server, fair, language):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#pay")
    page.click('[data-method="card"]')
    page.dblclick("#confirm")  # a tired thumb: two clicks 0 ms apart
    page.wait_for_selector("#receipt-number:text('A01-000001')")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    time.sleep(0.5)  # a second sale, if one had been made, would have been sent by now
    assert [s["receipt_number"] for s in _server_sales(server, fair)] == ["A01-000001"]
    context.close()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_price_changed_elsewhere_while_offline_keeps_the_price_paid(
    browser, server, fair, language
):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    context.set_offline(True)
    _sell_pots(page, fair, 2)  # 2 x 130.00, paid 260.00
    page.wait_for_selector("#outbox-count:text('1')")
    # Meanwhile the booth's other phone puts the pot at 140.00.
    _change_the_pot(server, fair, {"unit_price": "140.00"})
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    [sale] = _server_sales(server, fair)
    assert sale["total"] == "260.00"
    assert sale["lines"][0]["unit_price"] == "130.00"
    context.close()


def test_a_product_withdrawn_while_the_till_is_online_leaves_its_grid(browser, server, fair):
    """Found by ``pos drill``: a till online all day kept the product the organiser had
    withdrawn in the morning, and every sale of it was refused. The heartbeat says when the
    booth's catalogue changed; the till reads it again."""
    context, page = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)
    pot = f'.product[data-id="{fair.a.products["pot"]}"]'
    page.wait_for_selector(pot)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a heartbeat, as every minute
    page.wait_for_timeout(500)
    _change_the_pot(server, fair, {"active": False})
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the next heartbeat
    page.wait_for_selector(pot, state="detached", timeout=10_000)
    assert page.locator(f'.product[data-id="{fair.a.products["honey"]}"]').count() == 1
    context.close()


def test_the_heartbeat_tells_the_organiser_what_waits_on_the_phone(browser, server, fair):
    context, page = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)
    context.set_offline(True)
    _sell_pots(page, fair, 1)
    page.wait_for_selector("#outbox-count:text('1')")
    # The server is reachable again for the heartbeat only: sales stay held back.
    page.route("**/api/v1/exhibitors/*/sales", lambda route: route.abort())
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the till says so at once
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        _, _, sync = server.request(
            "GET", f"/api/v1/events/{fair.event_id}/sync", None, auth(fair.organiser_token)
        )
        if sync["waiting_sales"] == 1:
            break
        time.sleep(0.2)
    assert sync["waiting_sales"] == 1 and sync["booths_waiting"] == 1
    assert sync["items"][0]["booth"] == "A01"
    [phone] = [d for d in sync["items"][0]["devices"] if d["outbox"]]
    assert phone["outbox"] == 1 and phone["oldest_waiting_at"] is not None
    context.close()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_server_that_never_answers_leaves_the_till_selling(browser, server, fair, language):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    page.wait_for_selector(f'.product[data-id="{fair.a.products["pot"]}"]')
    held = []
    page.route("**/api/v1/**", lambda route: held.append(route))  # taken, never answered
    page.reload()
    # The phone's copy of the catalogue, at once, while the server says nothing.
    page.wait_for_selector(f'.product[data-id="{fair.a.products["pot"]}"]', timeout=1000)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#pay")
    page.click('[data-method="card"]')
    page.click("#confirm")
    page.wait_for_selector("#outbox-count:text('1')")
    page.wait_for_selector("#net.offline", timeout=15_000)  # no answer: it says offline
    last_answer = {"fr": "Dernière réponse du serveur", "ar": "آخر رد من الخادم"}[language]
    assert last_answer in page.get_attribute("#net", "title")
    assert held and _server_sales(server, fair) == []
    page.unroute("**/api/v1/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    assert [s["total"] for s in _server_sales(server, fair)] == ["130.00"]
    context.close()


def test_cash_notes_add_up_and_the_last_one_can_be_taken_back(browser, server, fair):
    context, page = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#pay")
    for note in ("100", "20", "10", "50"):  # the 50 by mistake
        page.click(f'[data-quick="{note}"]')
    assert page.text_content("#change") == "50.00"
    page.click("#undo-note")
    assert page.text_content("#change") == "0.00"
    page.click('[data-quick="20"]')
    assert page.text_content("#change") == "20.00"
    page.click("#confirm")
    page.wait_for_selector("#receipt-number:text('A01-000001')")
    [sale] = _server_sales(server, fair)
    assert sale["payments"][0]["tendered"] == "150.00"
    context.close()


def test_wrong_entries_are_refused_as_they_are_typed(browser, server, fair):
    context, page = open_paired_till(browser, server, fair, language="ar", viewport=FIELD_PHONE)
    page.click(f'.product[data-id="{fair.a.products["honey"]}"]')
    keypad(page, "0")  # nothing weighed
    page.wait_for_selector("#keypad-error:not([hidden])")
    assert page.is_visible("#keypad")
    page.click('#keypad [data-key="back"]')
    keypad(page, "99999")  # more than 10,000 kg
    assert "10000" in page.text_content("#keypad-error")
    for _ in range(5):
        page.click('#keypad [data-key="back"]')
    keypad(page, "2")
    page.wait_for_selector("#keypad", state="hidden")
    page.click(".discount")
    keypad(page, "600")  # above the line's 500.00
    page.wait_for_selector("#keypad-error:not([hidden])")
    assert page.is_visible("#keypad")
    page.click("#keypad-cancel")
    assert page.text_content("#total") == "500.00"  # the cart as it was
    context.close()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_today_works_offline_split_by_payment_method(browser, server, fair, language):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    _sell_pots(page, fair, 1, method="card")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    context.set_offline(True)
    _sell_pots(page, fair, 2, method="cash")  # waiting on the phone
    page.click("#open-today")
    page.wait_for_selector("#today-count:text('2')")
    assert page.text_content("#today-net") == "390.00"
    assert "260.00" in page.text_content('#today-methods [data-method="cash"]')
    assert "130.00" in page.text_content('#today-methods [data-method="card"]')
    rows = page.locator("#today-list li")
    assert rows.count() == 2
    assert "A01-000001" in rows.nth(1).text_content()
    screenshot(page, f"till-today-offline-{language}-390.png")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    context.close()


def _a_refused_sale(browser, server, fair, language="fr"):
    """A phone whose sale of a pot, made offline, is refused when it is sent: the pot was
    withdrawn meanwhile, and the sale's clock puts it after that. Its Today sheet open."""
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    context.set_offline(True)
    _sell_pots(page, fair, 1)
    # While the phone was offline, the pot was withdrawn... and its sale dated after that
    # by a wrong clock is refused: the server cannot record it as it is.
    _change_the_pot(server, fair, {"active": False})
    page.evaluate(
        """async () => {
            const items = await new Promise((resolve) => {
              const open = indexedDB.open("tadamon-till", 1);
              open.onsuccess = () => {
                const tx = open.result.transaction("outbox", "readwrite");
                const store = tx.objectStore("outbox");
                store.getAll().onsuccess = (e) => {
                  for (const item of e.target.result) {
                    item.body.sold_at = new Date(Date.now() + 60000).toISOString();
                    store.put(item);
                  }
                };
                tx.oncomplete = () => resolve(true);
              };
            });
            return items;
        }"""
    )
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    page.click("#open-today")
    page.wait_for_selector("#refused-list li")
    return context, page


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_refused_sale_waits_for_review_and_is_set_aside_with_a_reason(
    browser, server, fair, language
):
    context, page = _a_refused_sale(browser, server, fair, language)
    # The server's reason, in the till's language.
    reason = {"fr": "Ce produit n'est plus vendu.", "ar": "هذا المنتوج لم يعد يباع."}[language]
    assert reason in page.text_content("#refused-list")
    _, _, journal = server.request(
        "GET",
        f"/api/v1/events/{fair.event_id}/journal?kind=sale.refused",
        None,
        auth(fair.organiser_token),
    )
    assert journal["total"] == 1  # the organiser sees it too
    page.click("#refused-list button.danger")
    page.fill("#reason-text", "Pot cassé, remboursé au client")
    page.click("#reason-ok")
    page.wait_for_selector("#refused-list li", state="detached")
    _, _, set_aside = server.request(
        "GET",
        f"/api/v1/events/{fair.event_id}/journal?kind=sale.set_aside",
        None,
        auth(fair.organiser_token),
    )
    assert set_aside["items"][0]["details"]["reason"] == "Pot cassé, remboursé au client"
    context.close()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_phone_three_days_behind_records_its_sale_today(browser, server, fair, language):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    page.clock.install(time=time.time() - 3 * 24 * 3600)  # the phone's clock, wrong
    page.reload()
    _sell_pots(page, fair, 1)
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    [sale] = _server_sales(server, fair)
    # The till keeps time by the server's clock from its first answer on: the sale comes
    # with today's moment, and the server has nothing to correct.
    assert sale["clock_corrected"] is False and sale["device_sold_at"] == sale["sold_at"]
    from datetime import UTC, datetime

    assert abs(datetime.fromisoformat(sale["sold_at"]) - datetime.now(UTC)).total_seconds() < 300
    context.close()


WALL_CLOCK_BACK_THREE_DAYS = """() => {
  const RealDate = Date, shift = -3 * 24 * 3600 * 1000;
  class WallClock extends RealDate {
    constructor(...args) { if (args.length) super(...args); else super(RealDate.now() + shift); }
    static now() { return RealDate.now() + shift; }
  }
  window.Date = WallClock;
}"""


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_clock_moved_back_between_the_sale_and_its_sending_does_not_move_the_sale(
    browser, server, fair, language
):
    from datetime import UTC, datetime

    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    context.set_offline(True)
    tapped = datetime.now(UTC)
    _sell_pots(page, fair, 1)
    # The phone's clock is set three days back before the Wi-Fi returns. Only the wall clock
    # moves, as on a phone (Playwright's clock would move performance.now() with it, which
    # a real phone's never does).
    page.evaluate(WALL_CLOCK_BACK_THREE_DAYS)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    [sale] = _server_sales(server, fair)
    assert abs(datetime.fromisoformat(sale["sold_at"]) - tapped).total_seconds() < 60, sale
    context.close()


def test_a_refused_sale_is_corrected_into_a_new_sale(browser, server, fair):
    context, page = _a_refused_sale(browser, server, fair)
    _change_the_pot(server, fair, {"active": True})
    page.reload()  # the catalogue as it now is; the refused sale is still on the phone
    page.click("#open-today")
    page.wait_for_selector("#refused-list li")
    page.click("#refused-list li button:nth-of-type(2)")  # correct
    page.wait_for_selector("#today", state="hidden")
    assert page.text_content("#total") == "130.00"
    page.click("#pay")
    page.click('[data-method="card"]')
    page.click("#confirm")
    page.wait_for_selector("#receipt-number:text('A01-000001')")
    _, _, set_aside = server.request(
        "GET",
        f"/api/v1/events/{fair.event_id}/journal?kind=sale.set_aside",
        None,
        auth(fair.organiser_token),
    )
    assert set_aside["items"][0]["details"]["reason"].startswith("Corrigée")
    context.close()
