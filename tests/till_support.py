"""Driving the till in Chromium: a live server, a phone-sized page, paired to booth A."""

from __future__ import annotations

from pathlib import Path

from tests.support import auth

SCREENS = Path(__file__).resolve().parent.parent / "test-output" / "screens"
PHONE = {"width": 360, "height": 740}
# The phone size the field's tests are seen at (issue 13): a common Android phone.
FIELD_PHONE = {"width": 390, "height": 844}


def pairing_code(server, fair) -> str:
    status, _, device = server.request(
        "POST",
        f"/api/v1/exhibitors/{fair.a.id}/devices",
        {"label": "Téléphone de Fatima"},
        auth(fair.organiser_token),
    )
    assert status == 201
    return device["pairing_code"]


def open_paired_till(
    browser, server, fair, *, language: str = "fr", viewport=PHONE, init_script: str = ""
):
    """A new phone (browser context) that pairs with booth A through the pairing page;
    ``init_script`` runs in every page before the page's own (a stand-in for a device)."""
    context = browser.new_context(viewport=viewport, device_scale_factor=2, base_url=server.base)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.goto(f"/lang/{language}?next=/till/pair")
    page.fill("#code", pairing_code(server, fair))
    page.click("#pair")
    page.wait_for_url("**/till")
    page.wait_for_selector(".product")
    return context, page


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / name), full_page=False)


def keypad(page, text: str) -> None:
    for char in text:
        page.click(f'#keypad [data-key="{char}"]')
    page.click("#keypad-ok")


# The widths pages are looked at: a phone and a laptop.
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 800}}
# What sticks out of the page sideways. Inside a box that scrolls sideways (a card, a panel)
# content may scroll, as a wide table does, but a field or a button must fit the box: one
# wider than a phone would be half hidden. Only a table's own box (.table-wrap) holds
# fields that scroll with it.
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    const FIELDS = "input, select, button, textarea";
    const scroller = (element) => {
        let box = element.parentElement;
        for (; box && box !== document.body; box = box.parentElement) {
            const overflow = getComputedStyle(box).overflowX;
            if (overflow === "auto" || overflow === "scroll") return box;
        }
        return null;
    };
    const out = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const outer = scroller(element);
        if (outer && (outer.matches(".table-wrap") || !element.matches(FIELDS))) continue;
        const within = outer ? outer.getBoundingClientRect() : {left: 0, right: width};
        if (box.left < within.left - 1 || box.right > within.right + 1) {
            const name = `${element.tagName}#${element.id}.${element.className}`;
            out.push(`${name} ${box.left}..${box.right} in ${within.left}..${within.right}`);
        }
    }
    // A right-to-left page overflows to the left, which scrollWidth does not count: the
    // leftmost edge of anything not in a box that scrolls, as well.
    let left = 0;
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width && box.height && !scroller(element)) left = Math.min(left, box.left);
    }
    return {out: out.slice(0, 8), page: document.documentElement.scrollWidth, width, left};
}"""


def till_call(page, module: str, call: str):
    """``call`` evaluated with the till's module ``module`` as ``m``: the page's own instance
    of it (its state, its outbox)."""
    script = f"async () => {{ const m = await import('/till/static/{module}.js'); return {call}; }}"
    return page.evaluate(script)
