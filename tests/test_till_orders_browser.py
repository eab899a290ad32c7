"""Orders, contacts, pictures and stock on the till, in a real headless Chromium against a
real ``pos serve``: each recorded offline and sent once when the network is back; a photo
from the camera input shown in the grid offline; what is left counted down offline."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.support import a_photo, auth
from tests.till_support import FIELD_PHONE, keypad, open_paired_till, screenshot, till_call


def _listed(server, fair, what: str) -> list[dict]:
    status, _, listing = server.request(
        "GET", f"/api/v1/exhibitors/{fair.a.id}/{what}", None, auth(fair.a.token)
    )
    assert status == 200
    return listing["items"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the API's: test_orders_contacts
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_order_with_a_deposit_and_a_contact_taken_offline_arrive_once(
    browser, server, fair, language
):
    context, page = open_paired_till(browser, server, fair, language=language, viewport=FIELD_PHONE)
    context.set_offline(True)
    pot = fair.a.products["pot"]
    for _ in range(3):
        page.click(f'.product[data-id="{pot}"]')
    page.click(".discount")  # 30.00 off the three pots, agreed with the buyer
    keypad(page, "30")
    page.wait_for_selector(".discount:text('30.00')")
    page.click("#open-order")
    assert "\u2066360.00\u2069" in page.text_content("#order-total")
    page.fill("#order-form [name=buyer_name]", "Hôtel Kasbah Tadla")
    page.fill("#order-form [name=buyer_phone]", "06 61 23 45 67")
    page.fill("#order-form [name=delivery_date]", (date.today() + timedelta(days=20)).isoformat())
    page.fill("#order-form [name=deposit]", "100")
    page.select_option("#order-form [name=deposit_method]", "mobile")
    screenshot(page, f"till-order-{language}.png")
    # A double tap on Record: one order (two submits at once; the second does nothing).
    page.eval_on_selector(
        "#order-form", "(form) => { form.requestSubmit(); form.requestSubmit(); }"
    )
    page.wait_for_selector("#order", state="hidden")
    page.wait_for_selector("#outbox-count:text('2')")  # the deposit's sale, and the order
    assert page.locator("#cart-lines li").count() == 0

    page.click("#open-contact")
    page.select_option("#contact-form [name=kind]", "exporter")
    page.fill("#contact-form [name=name]", "Atlas Export SARL")
    page.fill("#contact-form [name=phone]", "+212 5 22 33 44 55")
    page.fill("#contact-form [name=interest]", "Miel en fûts de 25 kg")
    screenshot(page, f"till-contact-{language}.png")
    page.click("#contact-form [type=submit]")
    page.wait_for_selector("#outbox-count:text('3')")
    # Today, offline: the deposit's sale counts in the takings; the order and contact not.
    page.click("#open-today")
    page.wait_for_selector("#today-count:text('1')")
    assert page.text_content("#today-net") == "100.00"
    page.click("#today-close")
    # Nothing reached the server while offline; then everything, once.
    assert _listed(server, fair, "orders") == _listed(server, fair, "contacts") == []
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    [order] = _listed(server, fair, "orders")
    [contact] = _listed(server, fair, "contacts")
    [deposit] = _listed(server, fair, "sales")
    assert (order["buyer_name"], order["total"], order["deposit"]) == (
        "Hôtel Kasbah Tadla",
        "360.00",
        "100.00",
    )
    assert order["lines"][0]["discount"] == "30.00"
    assert order["deposit_sale"]["receipt_number"] == deposit["receipt_number"]
    assert deposit["lines"][0]["name"] == "Acompte sur commande"
    assert deposit["payments"][0]["method"] == "mobile"
    assert (contact["kind"], contact["interest"]) == ("exporter", "Miel en fûts de 25 kg")
    # The deposit product is never in the grid.
    assert page.locator(f'.product[data-id="{fair.a.deposit_product}"]').count() == 0
    context.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the till's own screens
def test_a_photo_from_the_camera_and_what_is_left_show_offline(browser, server, fair):
    pot = fair.a.products["pot"]
    status, _, _ = server.request(
        "PATCH", f"/api/v1/products/{pot}", {"stock": "10"}, auth(fair.organiser_token)
    )
    assert status == 200
    context, page = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    badge = page.locator(f'.product[data-id="{pot}"] .left')
    badge.wait_for()
    assert badge.text_content() == "Reste\u00a0: 10"

    # A photo of 4 MB from the camera input, in the booth's products.
    page.click("#open-catalogue")
    photo = a_photo(1900)
    assert len(photo) > 4_000_000
    row = page.locator("#catalogue-list li", has_text="Pot de miel")
    with page.expect_file_chooser() as chooser:
        row.locator("button.photo").click()
    assert chooser.value.element.get_attribute("capture") == "environment"
    chooser.value.set_files(files=[{"name": "pot.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.click("#catalogue-close")
    image = page.locator(f'.product[data-id="{pot}"] img')
    image.wait_for(state="visible", timeout=20_000)
    kept = till_call(page, "store", f"m.cacheGet('picture:{pot}').then((p) => p.blob.size)")
    assert 0 < kept <= 30_000

    # Offline, reloaded from the service worker: the picture from the phone's copy, and
    # what is left counted down by the sales made offline.
    context.set_offline(True)
    page.reload()
    page.wait_for_function(
        """(selector) => {
            const img = document.querySelector(selector);
            return img && !img.hidden && img.complete && img.naturalWidth > 0
                && img.src.startsWith("data:image/webp");
        }""",
        arg=f'.product[data-id="{pot}"] img',
    )
    for count in (3, 5):
        for _ in range(count):
            page.click(f'.product[data-id="{pot}"]')
        page.click("#pay")
        page.click('[data-method="card"]')
        page.click("#confirm")
        page.click("#new-sale")
    page.wait_for_function(
        "(badge) => badge.textContent === 'Reste\u00a0: 2'", arg=badge.element_handle()
    )
    assert "low" in badge.get_attribute("class")  # 2 of 10 left: the till warns
    page.click(f'.product[data-id="{pot}"]')
    assert "Reste" in page.text_content("#toast")
    screenshot(page, "till-picture-and-stock-offline.png")
    page.click("#cart-lines .remove")

    # Back online: the sales go, the server counts them; a void puts its 5 pots back.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    sales = sorted(_listed(server, fair, "sales"), key=lambda sale: sale["id"])
    status, _, _ = server.request(
        "POST", f"/api/v1/sales/{sales[1]['id']}/void", {"reason": "Erreur"}, auth(fair.a.token)
    )
    assert status == 200
    till_call(page, "stock", "m.loadStock()")
    page.wait_for_function(
        "(badge) => badge.textContent === 'Reste\u00a0: 7'", arg=badge.element_handle()
    )
    assert "low" not in badge.get_attribute("class")
    context.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_keypad_sets_the_quantity_brought_from_the_till(browser, server, fair):
    context, page = open_paired_till(browser, server, fair)
    honey = fair.a.products["honey"]
    page.click("#open-catalogue")
    page.locator("#catalogue-list li", has_text="Miel de thym").locator("button.stock").click()
    keypad(page, "25.5")
    page.wait_for_selector("#catalogue-list button.stock:text('25.5')")
    status, _, product = server.request(
        "GET", f"/api/v1/products/{honey}", None, auth(fair.a.token)
    )
    assert status == 200 and product["stock"] == "25.500"
    context.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_order_the_server_refuses_waits_for_review_and_is_set_aside(browser, server, fair):
    context, page = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)

    def too_early(route):
        # The order as the server will refuse it: a delivery long before the fair.
        body = json.loads(route.request.post_data)
        route.continue_(post_data=json.dumps({**body, "delivery_date": "2000-01-01"}))

    page.route("**/api/v1/exhibitors/*/orders", too_early)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#open-order")
    page.fill("#order-form [name=buyer_name]", "Épicerie Zaouia")
    page.fill("#order-form [name=buyer_phone]", "0661234567")
    page.fill("#order-form [name=delivery_date]", (date.today() + timedelta(days=5)).isoformat())
    page.click("#order-form [type=submit]")
    page.click("#open-today")
    refused = page.locator("#refused-list li")
    refused.wait_for(timeout=20_000)
    assert "Commande refusée" in refused.text_content()
    assert "Épicerie Zaouia" in refused.text_content()
    assert "Du premier jour du salon à deux ans après." in refused.text_content()
    assert page.is_hidden("#outbox")  # kept for review, not sent again and again
    refused.locator("button.danger").click()
    page.fill("#reason-text", "Date convenue par téléphone")
    page.click("#reason-ok")
    refused.wait_for(state="detached")
    _, _, journal = server.request(
        "GET",
        f"/api/v1/events/{fair.event_id}/journal?kind=order.set_aside",
        None,
        auth(fair.organiser_token),
    )
    [entry] = journal["items"]
    assert entry["details"]["body"]["buyer_name"] == "Épicerie Zaouia"
    assert entry["details"]["reason"] == "Date convenue par téléphone"
    assert _listed(server, fair, "orders") == []
    context.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_two_tabs_send_a_sale_kept_by_a_till_of_before_and_an_order_once_each(
    browser, server, fair
):
    """A phone upgraded with a sale waiting from the till of before (no kind, no path in
    its outbox) and an order taken offline; both tabs come back online at once."""
    context, first = open_paired_till(browser, server, fair, viewport=FIELD_PHONE)
    second = context.new_page()
    second.goto("/till")
    second.wait_for_selector(".product")
    context.set_offline(True)
    pot = fair.a.products["pot"]
    old_sale = {
        "key": "kept-by-the-till-of-before",
        "created": 1,
        "body": {
            "lines": [{"product_id": pot, "quantity": "1.000", "unit_price": "130.00"}],
            "payments": [{"method": "cash", "amount": "130.00"}],
        },
    }
    till_call(first, "store", f"m.outboxPut({json.dumps(old_sale)})")
    first.click(f'.product[data-id="{pot}"]')
    first.click("#open-order")
    first.fill("#order-form [name=buyer_name]", "Coopérative de transformation")
    first.fill("#order-form [name=buyer_phone]", "0661234567")
    first.fill("#order-form [name=delivery_date]", (date.today() + timedelta(days=9)).isoformat())
    first.click("#order-form [type=submit]")
    first.wait_for_selector("#outbox-count:text('2')")
    context.set_offline(False)
    for page in (first, second):
        page.evaluate("window.dispatchEvent(new Event('online'))")
    for page in (first, second):
        page.wait_for_selector("#outbox", state="hidden", timeout=20_000)
    [sale] = _listed(server, fair, "sales")
    [order] = _listed(server, fair, "orders")
    assert sale["total"] == "130.00" and order["total"] == "130.00"
    context.close()
