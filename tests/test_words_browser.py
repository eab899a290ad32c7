"""The till's words as an Arabic-speaking cashier reads them, in Chromium on a 390 px phone."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from tests.support import auth
from tests.till_support import FIELD_PHONE, keypad, open_paired_till, screenshot

# What the page shows, whichever database holds the fair: checked on one.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

# Ends in ي: its two dots go below the line, where a tight box clips them.
NAME_AR = "تعاونية تيزي نسلي"


def _light_pixels(png: bytes) -> int:
    """The header's white text on its green bar: pixels of ink."""
    red, green, blue = Image.open(io.BytesIO(png)).convert("RGB").split()
    light = [band.point(lambda value: 255 if value > 170 else 0) for band in (red, green, blue)]
    both = ImageChops.multiply(ImageChops.multiply(light[0], light[1]), light[2])
    return both.histogram()[255]


def test_the_header_keeps_the_dots_under_a_final_ya(browser, server, fair):
    status, _, _ = server.request(
        "PATCH", f"/api/v1/exhibitors/{fair.a.id}", {"name_ar": NAME_AR}, auth(fair.organiser_token)
    )
    assert status == 200
    context, page = open_paired_till(browser, server, fair, language="ar", viewport=FIELD_PHONE)
    title = page.locator(".booth-title")
    assert title.text_content() == NAME_AR
    box = title.bounding_box()
    bar = page.locator("header.bar").bounding_box()
    # Let the glyphs out of their box, then look for ink between the box and the bar's edges:
    # any there was cut off on screen.
    title.evaluate("element => { element.style.overflow = 'visible'; }")  # CSSOM, as CSP allows
    above = {"x": box["x"], "y": bar["y"], "width": box["width"], "height": box["y"] - bar["y"]}
    below_top = box["y"] + box["height"]
    below = {
        "x": box["x"],
        "y": below_top,
        "width": box["width"],
        "height": bar["y"] + bar["height"] - below_top,
    }
    assert above["height"] > 0 and below["height"] > 0
    assert _light_pixels(page.screenshot(clip=above)) == 0
    assert _light_pixels(page.screenshot(clip=below)) == 0
    assert _light_pixels(page.screenshot(clip=box)) > 50  # the name itself is there
    screenshot(page, "words-header-ar-390.png")
    context.close()


def _rect(page, selector: str, text: str) -> dict:
    """The on-screen box of ``text`` inside the element ``selector``."""
    return page.evaluate(
        """([selector, text]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(text);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                const r = range.getBoundingClientRect();
                return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
            }
            return null;
        }""",
        [selector, text],
    )


def test_change_void_and_back_read_right_in_arabic(browser, server, fair):
    context, page = open_paired_till(browser, server, fair, language="ar", viewport=FIELD_PHONE)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')  # 130.00
    page.click("#pay")
    assert page.text_content("#cancel-pay") == "رجوع"
    page.click('[data-quick="200"]')
    page.click("#confirm")
    page.wait_for_selector("#receipt-number:text('A01-000001')")

    # "الباقي للزبون 70.00 درهم": read from the right, the label, the amount, then its
    # currency, on one line; the amount not torn from its currency.
    label = _rect(page, "#result-change", "الباقي للزبون")
    amount = _rect(page, "#result-change", "70.00")
    currency = _rect(page, "#result-change", "درهم")
    assert label and amount and currency
    assert label["left"] >= amount["right"] - 1, (label, amount)
    assert amount["left"] >= currency["right"] - 1, (amount, currency)
    assert abs(amount["top"] - currency["top"]) < 4  # one run, one size
    middle = (label["top"] + label["bottom"]) / 2
    assert amount["top"] < middle < amount["bottom"], (label, amount)  # on the same line
    screenshot(page, "words-change-ar-390.png")

    # The void sheet: the way back and the void say different things.
    page.click("#void-last")
    back, void = page.text_content("#reason-cancel"), page.text_content("#reason-ok")
    assert (back, void) == ("رجوع", "إلغاء عملية البيع هذه")
    assert page.text_content("#reason-label") == "ما سبب إلغاء عملية البيع هذه؟"
    screenshot(page, "words-void-sheet-ar-390.png")
    page.fill("#reason-text", "خطأ في الإدخال")
    page.click("#reason-ok")
    # The voided heading: the receipt number on its own line, the phrase whole.
    page.wait_for_selector("#result-state:text('أُلغيت عملية البيع')")
    assert page.text_content("#receipt-number") == "A01-000001"
    assert page.text_content("#result-state") == "أُلغيت عملية البيع"
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    screenshot(page, "words-voided-ar-390.png")
    context.close()


def test_the_discount_keeps_its_minus_before_the_digits_in_arabic(browser, server, fair):
    """ "تخفيض −10.00" in a right-to-left line: isolated, the amount reads left to right, its
    minus at its left; not "10.00−"."""
    context, page = open_paired_till(browser, server, fair, language="ar", viewport=FIELD_PHONE)
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')  # 130.00
    page.click(".discount")
    keypad(page, "10")
    page.wait_for_selector(".discount:text('10.00')")
    label = _rect(page, ".discount", "تخفيض")
    minus = _rect(page, ".discount", "−")
    digits = _rect(page, ".discount", "10.00")
    assert label and minus and digits
    assert minus["right"] <= digits["left"] + 1, (minus, digits)  # the sign before the number
    assert label["left"] >= digits["right"] - 1, (label, digits)  # the label first, at the right
    screenshot(page, "words-discount-ar-390.png")
    context.close()
