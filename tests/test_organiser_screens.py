"""Every organiser page holds on a phone (390 px) and a laptop (1366 px), in French and in
Arabic, the impact page's orders and contacts with them: nothing sticks out sideways (a
wide table scrolls in its own box), the bars are as long as their figures, the figures are
grouped the language's way. Screenshots are saved under test-output/screens and looked
at."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, an_order, auth, simple_sale
from tests.till_support import SCREENS, SIZES, STICKING_OUT


@pytest.fixture
def server(server, fair):
    """The test fair's server, with three sales paid three ways: bars of three lengths."""
    for index, (product, method) in enumerate(
        [("carpet", "transfer"), ("pot", "cash"), ("honey", "card")]
    ):
        body = simple_sale(fair.a.products[product], method=method)
        if product == "carpet":
            body["lines"][0]["unit_price"] = "3800.00"
            body["payments"][0]["amount"] = "3800.00"
        if product == "honey":
            body["lines"][0]["quantity"] = "1.000"
            body["payments"][0]["amount"] = "250.00"
        status, _, answer = server_post(server, fair, body, f"screens-{index}")
        assert status == 201, answer
    # An order to deliver and two contacts: the impact page's orders and contacts.
    order = an_order(fair.a.products["honey"], "40")
    status, _, answer = server.request(
        "POST", f"/api/v1/exhibitors/{fair.a.id}/orders", order, auth(fair.a.token)
    )
    assert status == 201, answer
    for kind, name in (("hotel", "Hôtel Chems Khénifra"), ("exporter", "Atlas Export SARL")):
        status, _, answer = server.request(
            "POST",
            f"/api/v1/exhibitors/{fair.a.id}/contacts",
            {"kind": kind, "name": name},
            auth(fair.a.token),
        )
        assert status == 201, answer
    # Subject to VAT from now on: its page asks each product's rate, and must still hold.
    status, _, answer = server.request(
        "PATCH", f"/api/v1/exhibitors/{fair.a.id}", {"vat": "subject"}, auth(fair.organiser_token)
    )
    assert status == 200, answer
    return server


def server_post(live, fair, body, key):
    headers = {**auth(fair.a.token), "Idempotency-Key": key}
    return live.request("POST", f"/api/v1/exhibitors/{fair.a.id}/sales", body, headers)


def _pages(fair) -> dict[str, str]:
    event = f"event={fair.event_id}"
    return {
        "dashboard": f"/dashboard?{event}",
        "daily": f"/reports/daily?{event}",
        "daily-print": f"/reports/daily/print?{event}",
        "impact": f"/reports/impact?{event}",
        "setup": f"/setup?{event}",
        "booth": f"/setup/exhibitors/{fair.a.id}",
        "import": f"/setup/import?{event}",
    }


def _green_length(png: bytes) -> int:
    """How many columns of a bar's picture are filled with the app's green."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    row = height // 2
    return sum(
        1
        for x in range(width)
        if abs(pixels[x, row][0] - 11) < 30
        and abs(pixels[x, row][1] - 110) < 30
        and abs(pixels[x, row][2] - 79) < 30
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_organiser_pages_hold_on_a_phone_and_a_laptop(browser, server, fair, language):
    SCREENS.mkdir(parents=True, exist_ok=True)
    # The booth counted its honey in: its page shows what is left under the quantity.
    status, _, _ = server.request(
        "PATCH",
        f"/api/v1/products/{fair.a.products['honey']}",
        {"stock": "120.5"},
        auth(fair.organiser_token),
    )
    assert status == 200
    for size_name, size in SIZES.items():
        context = browser.new_context(viewport=size, base_url=server.base)
        page = context.new_page()
        page.goto(f"/lang/{language}?next=/login")
        found = page.evaluate(STICKING_OUT)
        assert found["out"] == [] and found["page"] <= found["width"], ("login", found)
        page.fill("#email", ORGANISER_EMAIL)
        page.fill("#password", ORGANISER_PASSWORD)
        page.click("#sign-in")
        page.wait_for_url("**/dashboard")
        for name, path in _pages(fair).items():
            page.goto(path)
            page.wait_for_load_state("networkidle")
            found = page.evaluate(STICKING_OUT)
            page.screenshot(
                path=str(SCREENS / f"organiser-{name}-{language}-{size_name}.png"), full_page=True
            )
            assert found["out"] == [], (name, size_name, found)
            assert found["page"] <= found["width"], (name, size_name, found)
        # The dashboard's filter ignores case, accents and hamza seats; its time is the
        # page language's (not the browser's English "AM").
        page.goto(_pages(fair)["dashboard"])
        assert "AM" not in page.text_content("#updated") + page.text_content("#exhibitors")
        assert "PM" not in page.text_content("#updated")
        for typed in ("IMILCHIL", "coopérative imilchil", "املشيل"):
            page.fill("#filter", typed)
            assert page.locator("#exhibitors tbody tr").count() == 1, typed
        # The impact page: bars as long as their figures, amounts grouped the language's way.
        page.goto(_pages(fair)["impact"])
        methods = page.locator(".card", has=page.locator("h2", has_text=_method_title(language)))
        bars = methods.locator("meter")
        assert bars.count() == 3
        lengths = [_green_length(bars.nth(i).screenshot()) for i in range(3)]
        assert lengths[0] > lengths[1] > lengths[2] > 0, lengths  # 3800, 250, 130
        assert lengths[1] < lengths[0] * 0.2
        # Orders and contacts, beside the sales and not in them: 40 kg of honey ordered.
        assert page.text_content("#orders-count") == "1"
        assert page.text_content("#orders-value") == (
            "10\u202f000,00" if language == "fr" else "10.000,00"
        )
        assert page.text_content("#contacts-count") == "2"
        assert page.locator("#orders-by_sector tbody tr").count() == 1
        total = page.locator(".kpi b").first.text_content()
        # Arabic as written in Morocco (CLDR ar-MA): "4.180,00", not the Eastern "4,180.00".
        assert total == ("4\u202f180,00" if language == "fr" else "4.180,00"), total
        context.close()


# Each big figure of a card, and what follows it (the currency), within the card's edges.
FIGURES_OUT_OF_CARDS = """() => [...document.querySelectorAll(".kpi")].flatMap((card) => {
    const edge = card.getBoundingClientRect();
    return [...card.querySelectorAll("b, small")].filter((figure) => {
        const box = figure.getBoundingClientRect();
        return box.left < edge.left - 1 || box.right > edge.right + 1;
    }).map((figure) => `${figure.textContent} out of ${edge.left}..${edge.right}`);
})"""


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the page's layout alone
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_big_figures_fit_their_cards_on_a_phone(browser, server, fair, language):
    """A fair's day in millions: the dashboard's and the report's big figures stay within
    their cards at 390 px (smaller type on a narrow card, the currency on its own line)."""
    body = simple_sale(fair.a.products["carpet"], method="transfer")
    body["lines"][0] |= {"unit_price": "999999.99", "quantity": "2"}
    body["payments"][0]["amount"] = "1999999.98"
    for key in ("big-1", "big-2"):  # four carpets at a million each, after the 4,180.00
        status, _, answer = server_post(server, fair, body, f"{key}-{language}")
        assert status == 201, answer
    context, page = _signed_in(browser, server, language)
    for name in ("dashboard", "impact", "daily-print"):
        page.goto(_pages(fair)[name])
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENS / f"big-figures-{name}-{language}.png"), full_page=True)
        assert page.evaluate(FIGURES_OUT_OF_CARDS) == [], name
    page.goto(_pages(fair)["dashboard"])
    total = page.text_content("#fair-total")
    assert total == ("4\u202f004\u202f179,96" if language == "fr" else "4.004.179,96"), total
    context.close()


def _method_title(language: str) -> str:
    return "Par moyen de paiement" if language == "fr" else "حسب طريقة الأداء"


def test_pairing_cards_say_they_are_being_made_then_download(browser, server, fair, tmp_path):
    context, page = _signed_in(browser, server, accept_downloads=True)
    page.goto(f"/setup?event={fair.event_id}")
    # The request is held until the page has been read: two booths' cards are made faster
    # than a test can look, and the page must say so at once, before the server answers.
    held = []
    page.route("**/setup/pairing-cards*", lambda route: held.append(route))
    page.click("#cards")
    page.wait_for_selector("#cards-status:text('Préparation des cartes de 2 stands')")
    assert page.is_disabled("#cards")
    for _ in range(100):  # the route's handler runs when playwright next reads events
        if held:
            break
        page.wait_for_timeout(50)
    with page.expect_download() as waiting:
        held[0].continue_()
    download = waiting.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename == f"pairing-cards-{fair.event_id}.pdf"
    page.wait_for_selector("#cards-status:text('Les cartes sont prêtes')")
    context.close()


def _signed_in(browser, server, language="fr", **options):
    """A phone's browser with the organiser signed in, in ``language``."""
    context = browser.new_context(viewport=SIZES["phone"], base_url=server.base, **options)
    page = context.new_page()
    page.goto(f"/lang/{language}?next=/login")
    page.fill("#email", ORGANISER_EMAIL)
    page.fill("#password", ORGANISER_PASSWORD)
    page.click("#sign-in")
    page.wait_for_url("**/dashboard")
    return context, page


def test_an_organiser_edits_a_booths_catalogue_on_a_phone(browser, server, fair):
    """Each product's row saves what it shows and nothing else: the carpet's new price keeps
    it on sale at a price agreed with each buyer; unticking a box turns it off; the add row
    adds a product with its rate (the booth is subject to VAT)."""
    context, page = _signed_in(browser, server)
    page.goto(f"/setup/exhibitors/{fair.a.id}")
    carpet = f"[form=product-{fair.a.products['carpet']}]"
    page.fill(f"input{carpet}[name=unit_price]", "4800.00")
    page.click(f"#product-{fair.a.products['carpet']} button")
    page.wait_for_selector("#saved")
    carpet_now = _product(server, fair, fair.a.products["carpet"])
    assert (carpet_now["unit_price"], carpet_now["open_price"], carpet_now["active"]) == (
        "4800.00",
        True,
        True,
    )
    honey = f"[form=product-{fair.a.products['honey']}]"
    assert page.is_checked(f"input{honey}[type=checkbox][name=active]")
    page.uncheck(f"input{honey}[type=checkbox][name=active]")
    page.fill(f"input{honey}[name=stock]", "20")  # what the cooperative brought
    page.click(f"#product-{fair.a.products['honey']} button")
    page.wait_for_selector("#saved")
    honey_now = _product(server, fair, fair.a.products["honey"])
    assert (honey_now["active"], honey_now["open_price"]) == (False, False)
    assert honey_now["stock"] == "20.000"
    # The booth sold 1 kg of it: the page says what is left, under what was brought.
    left = page.locator(f"#left-{fair.a.products['honey']}")
    assert left.is_visible() and left.text_content() == "Reste\u00a0: 19 kg"
    page.fill("input[form=new-product][name=name]", "Amlou aux amandes")
    page.fill("input[form=new-product][name=name_ar]", "أملو باللوز")
    page.select_option("select[form=new-product][name=unit]", "piece")
    page.fill("input[form=new-product][name=unit_price]", "95.00")
    page.select_option("select[form=new-product][name=vat_rate]", "10")
    page.click("#add-product")
    page.wait_for_selector("#saved")
    added = _product(server, fair, "Amlou aux amandes")
    assert (added["name_ar"], added["unit"], added["unit_price"], added["vat_rate"]) == (
        "أملو باللوز",
        "piece",
        "95.00",
        "10",
    )
    assert (added["open_price"], added["active"]) == (False, True)
    context.close()


def _product(server, fair, id_or_name) -> dict:
    """Booth A's product as its till reads it, by id or French name."""
    status, _, answer = server.request(
        "GET", f"/api/v1/exhibitors/{fair.a.id}/products", None, auth(fair.a.token)
    )
    assert status == 200, answer
    return next(item for item in answer["items"] if id_or_name in (item["id"], item["name"]))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the page's layout alone
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_set_up_page_of_a_real_spreadsheet_holds_on_a_phone(
    app, browser, server, fair, language
):
    """An organiser's real spreadsheet imported (long names, every column filled): the list
    of exhibitors stays within a 390 px screen on both sides, in French and in Arabic."""
    sample = Path(__file__).parent / "data" / "exhibitors-sample.csv"
    imported = app.test_cli_runner().invoke(
        args=["import", "exhibitors", str(sample), "--event", str(fair.event_id)]
    )
    assert imported.exit_code == 0, imported.output
    context, page = _signed_in(browser, server, language)
    page.goto(f"/setup?event={fair.event_id}")
    page.wait_for_selector("#exhibitor-list")
    found = page.evaluate(STICKING_OUT)
    page.screenshot(path=str(SCREENS / f"setup-imported-{language}-phone.png"), full_page=True)
    assert found["out"] == [], found
    assert found["page"] <= found["width"] and found["left"] >= 0, found
    context.close()
