"""The till printing on the booth's own printer, paired to the phone, in real Chromium.

The printer is stood in by an init script: a ``navigator.bluetooth`` whose printer records
every write (and can drop the link half way), and an ``<a>.click`` that records the RawBT
intents instead of leaving the page. The bytes it got are compared with the server's."""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.request
import uuid

import pytest

from printers.decode import decode
from printers.render import PAPERS
from tests.printing_support import OUTPUT, has_drawn
from tests.support import auth
from tests.till_support import SIZES, STICKING_OUT, open_paired_till, screenshot

FAKE_BLUETOOTH = """
(() => {
  const record = { writes: [], connects: 0, requests: 0, dropAt: %(drop_at)s };
  window.__printer = record;
  const SERVICE = "000018f0-0000-1000-8000-00805f9b34fb";
  const WRITE = "00002af1-0000-1000-8000-00805f9b34fb";
  const lost = () => new DOMException("GATT Server is disconnected.", "NetworkError");
  const characteristic = {
    async writeValueWithResponse(value) {
      if (!device.gatt.connected) throw lost();
      if (record.dropAt !== null && record.writes.length === record.dropAt) {
        record.dropAt = null;  // the link drops once, this write with it
        device.gatt.connected = false;
        throw lost();
      }
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      record.writes.push(Array.from(bytes));
    },
  };
  const gattServer = {
    async getPrimaryService(uuid) {
      if (uuid !== SERVICE) throw new DOMException("No Services matching UUID.", "NotFoundError");
      return { async getCharacteristic(id) {
        if (id !== WRITE) throw new DOMException("No Characteristics.", "NotFoundError");
        return characteristic;
      } };
    },
  };
  const device = { id: "printer-1", name: "MTP-II", gatt: { connected: false,
    async connect() { this.connected = true; record.connects += 1; return gattServer; } } };
  const bluetooth = {
    async requestDevice(options) {
      record.requests += 1;
      record.options = options;
      localStorage.setItem("fake-bluetooth-granted", "1");
      return device;
    },
    // What Chrome gives back without a tap: the devices this site was allowed before.
    async getDevices() { return localStorage.getItem("fake-bluetooth-granted") ? [device] : []; },
  };
  Object.defineProperty(navigator, "bluetooth", { value: bluetooth, configurable: true });
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.href.startsWith("intent:")) {
      (window.__intents ||= []).push(this.href);
      // Android brings RawBT forward: the page is hidden a moment, then shown again.
      const shown = (state) => {
        Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      };
      if (!window.__rawbtMissing) { shown("hidden"); setTimeout(() => shown("visible"), 50); }
      return;
    }
    return click.call(this);
  };
})();
"""


def _fake(drop_at=None) -> str:
    return FAKE_BLUETOOTH % {"drop_at": json.dumps(drop_at)}


def _printer_on_phone(server, fair) -> None:
    status, _, answer = server.request(
        "PUT",
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        {"connection": "device", "paper_width_mm": 58, "profile": "POS-5890"},
        auth(fair.organiser_token),
    )
    assert status == 200, answer


def _server_bytes(server, fair, job_id: int) -> bytes:
    request = urllib.request.Request(
        f"{server.base}/api/v1/print-jobs/{job_id}/escpos", headers=auth(fair.a.token)
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def _fetched_jobs(page) -> list[int]:
    """The print jobs whose bytes the till fetched, in order."""
    jobs: list[int] = []
    page.on(
        "request",
        lambda request: jobs.extend(
            int(found.group(1))
            for found in [re.search(r"/print-jobs/(\d+)/escpos$", request.url)]
            if found
        ),
    )
    return jobs


def _tapped_claim(response) -> bool:
    """The answer to a claim the cashier's tap made (it takes the failed receipts too)."""
    request = response.request
    return request.url.endswith("/print-jobs/claim") and bool(
        json.loads(request.post_data or "{}").get("include_failed")
    )


def _print_status(server, fair, sale_number: str, wanted: str = "printed") -> str:
    """The sale's print status, once it is ``wanted`` or after 10 s."""
    for _ in range(100):
        status, _, listing = server.request(
            "GET", f"/api/v1/exhibitors/{fair.a.id}/sales", None, auth(fair.a.token)
        )
        assert status == 200
        found = [s["print_status"] for s in listing["items"] if s["receipt_number"] == sale_number]
        if found == [wanted]:
            break
        time.sleep(0.1)
    return found[0] if found else "no such sale"


def _choose(page, transport: str, *, named: str = "", chunk: str = "") -> None:
    """On the printer screen the till opens the first time, choose how the printer is
    reached (and ``named``: wait for the printer chosen to be shown)."""
    page.wait_for_selector("#printer:not([hidden])")
    if chunk:
        page.select_option("#printer-chunk", chunk)
    page.click(f'[data-transport="{transport}"]')
    if named:
        page.wait_for_selector(f"#printer-current:has-text('{named}')")
    page.click("#printer-close")


def _choose_bluetooth(page, chunk: str = "100") -> None:
    page.wait_for_selector("#printer:not([hidden])")
    assert page.evaluate(STICKING_OUT)["out"] == []
    screenshot(page, "till-printer-screen-fr.png")
    _choose(page, "bluetooth", named="MTP-II", chunk=chunk)


def _sell_a_pot(page, fair) -> None:
    page.click(f'.product[data-id="{fair.a.products["pot"]}"]')
    page.click("#pay")
    page.click('[data-method="card"]')
    page.click("#confirm")


def _pot_sold_elsewhere(server, fair, method: str) -> dict:
    """A pot sold by the booth's other phone (or sent from an outbox later): its receipt
    waits for this phone, which no tap here paid."""
    status, _, sale = server.request(
        "POST",
        f"/api/v1/exhibitors/{fair.a.id}/sales",
        {
            "lines": [{"product_id": fair.a.products["pot"], "quantity": "1"}],
            "payments": [{"method": method, "amount": "130.00"}],
        },
        {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert status == 201, sale
    return sale


def _written(page, device: str = "__printer") -> bytes:
    """What the stand-in device (``window[device]``) was written, in order."""
    return bytes(b for write in page.evaluate(f"window.{device}.writes") for b in write)


@pytest.mark.parametrize("chunk", [100, 20])
def test_a_bluetooth_printer_gets_the_servers_bytes_in_chunks(browser, server, fair, chunk):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    jobs = _fetched_jobs(page)
    _choose_bluetooth(page, str(chunk))
    _sell_a_pot(page, fair)
    page.wait_for_selector("#print-status:text('Imprimé')")
    screenshot(page, f"till-printed-on-phone-{chunk}.png")
    [job] = jobs
    sent = _server_bytes(server, fair, job)
    assert _written(page) == sent  # the receipt, whole, once
    sizes = [len(write) for write in page.evaluate("window.__printer.writes")]
    assert max(sizes) == chunk and len(sizes) == -(-len(sent) // chunk)
    assert _print_status(server, fair, "A01-000001") == "printed"

    [receipt] = decode(sent, PAPERS[58].dots)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    receipt.to_image().save(OUTPUT / f"printed-by-the-phone-{chunk}.png")
    assert receipt.cut and max(image.width for image in receipt.images) <= PAPERS[58].dots
    assert any("A01-000001" in line for line in receipt.text_lines)
    assert has_drawn(receipt, "تعاونية إملشيل", 28, bold=True, paper=58)  # shaped
    context.close()


def test_a_link_dropped_half_way_is_taken_up_again_and_the_receipt_printed_once(
    browser, server, fair
):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake(drop_at=7))
    jobs = _fetched_jobs(page)
    _choose_bluetooth(page, "20")
    _sell_a_pot(page, fair)
    page.wait_for_selector("#print-status:text('Imprimé')")
    assert _written(page) == _server_bytes(server, fair, jobs[0])
    assert page.evaluate("window.__printer.connects") == 2  # reconnected once
    assert _print_status(server, fair, "A01-000001") == "printed"
    context.close()


def test_an_offline_phone_prints_its_waiting_receipts_when_back_without_a_tap(
    browser, server, fair
):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    _choose_bluetooth(page)
    page.reload()  # another day: the printer chosen before comes back without the chooser
    page.wait_for_selector(".product")
    jobs = _fetched_jobs(page)
    context.set_offline(True)
    for _ in range(2):
        _sell_a_pot(page, fair)
        page.click("#new-sale")
    page.wait_for_selector("#outbox-count:text('2')")
    assert page.evaluate("window.__printer.writes.length") == 0
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for number in ("A01-000001", "A01-000002"):
        assert _print_status(server, fair, number) == "printed"
    assert page.evaluate("window.__printer.requests") == 0  # no chooser, no tap
    assert len(jobs) == 2
    assert _written(page) == b"".join(_server_bytes(server, fair, job) for job in jobs)
    context.close()


def test_a_receipt_whose_printed_report_was_lost_is_not_printed_again(browser, server, fair):
    """Found by ``pos drill``: the phone printed a receipt, the server never heard it say
    so (the server killed), and the phone's next claim got the same receipt back and
    printed it again. The phone keeps what it could not say and says it first."""
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    jobs = _fetched_jobs(page)
    _choose_bluetooth(page)
    reports: list[str] = []

    def lose(route):
        reports.append(route.request.url)
        route.abort()  # the answer never comes: the server down

    page.route("**/print-jobs/*/result", lose)
    _sell_a_pot(page, fair)
    _wait(page, lambda: len(reports) == 1)  # printed, and said to no one
    page.unroute("**/print-jobs/*/result")
    page.click("#new-sale")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _sell_a_pot(page, fair)
    for number in ("A01-000001", "A01-000002"):
        assert _print_status(server, fair, number) == "printed"
    assert jobs[:2] == sorted(set(jobs))  # each receipt's bytes fetched once
    assert _written(page) == b"".join(_server_bytes(server, fair, job) for job in jobs[:2])
    context.close()


def _wait(page, condition, seconds: float = 10) -> None:
    """Until ``condition``, the page's routes answered meanwhile (they run while Playwright
    is waited on)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        page.wait_for_timeout(50)


def test_rawbt_gets_exactly_the_receipts_bytes(browser, server, fair):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    jobs = _fetched_jobs(page)
    _choose(page, "rawbt")
    _sell_a_pot(page, fair)
    # RawBT tells nothing back: sent, until the member says the receipt came out.
    page.wait_for_selector("#print-status:text('Envoyé à RawBT')")
    assert _print_status(server, fair, "A01-000001", "sent") == "sent"
    page.click("#result .print-confirm")
    page.wait_for_selector("#print-status:text('Imprimé')")
    assert _print_status(server, fair, "A01-000001") == "printed"
    [intent] = page.evaluate("window.__intents")
    prefix, suffix = "intent:base64,", "#Intent;scheme=rawbt;package=ru.a402d.rawbtprinter;end;"
    assert intent.startswith(prefix) and intent.endswith(suffix)
    carried = intent[len(prefix) : -len(suffix)]
    assert "%" not in carried  # base64 as it is, not URL-encoded
    assert base64.b64decode(carried) == _server_bytes(server, fair, jobs[0])
    context.close()


FAKE_SERIAL = """
(() => {
  const record = { writes: [], opened: null, requests: 0 };
  window.__serial = record;
  const port = {
    writable: null,
    async open(options) {
      record.opened = options;
      const write = (chunk) => { record.writes.push(Array.from(chunk)); };
      port.writable = new WritableStream({ write });
    },
  };
  const serial = {
    async requestPort() { record.requests += 1; return port; },
    async getPorts() { return record.requests ? [port] : []; },
  };
  Object.defineProperty(navigator, "serial", { value: serial, configurable: true });
})();
"""


def test_a_serial_printer_on_the_phone_gets_the_receipt_in_arabic(browser, server, fair):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, language="ar", init_script=FAKE_SERIAL)
    jobs = _fetched_jobs(page)
    page.wait_for_selector("#printer:not([hidden])")
    assert page.text_content('[data-transport="serial"]') == "طابعة تسلسلية"
    screenshot(page, "till-printer-screen-ar.png")
    _choose(page, "serial")
    _sell_a_pot(page, fair)
    page.wait_for_selector("#print-status:text('تمت الطباعة')")
    assert _written(page, "__serial") == _server_bytes(server, fair, jobs[0])
    assert page.evaluate("window.__serial.opened.baudRate") == 9600
    context.close()


FAKE_USB = """
(() => {
  const record = { writes: [], endpoint: null, claimed: null };
  window.__usb = record;
  const face = {
    interfaceNumber: 0,
    claimed: false,
    alternate: {
      interfaceClass: 7,
      endpoints: [
        { direction: "in", type: "bulk", endpointNumber: 2 },
        { direction: "out", type: "bulk", endpointNumber: 1 },
      ],
    },
  };
  const device = {
    productName: "TM-T20II",
    opened: false,
    configuration: null,
    async open() { device.opened = true; },
    async selectConfiguration() { device.configuration = { interfaces: [face] }; },
    async claimInterface(number) { face.claimed = true; record.claimed = number; },
    async transferOut(endpoint, data) {
      record.endpoint = endpoint;
      record.writes.push(Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      return { status: "ok", bytesWritten: data.byteLength };
    },
  };
  const usb = {
    async requestDevice(options) { record.filters = options.filters; return device; },
    async getDevices() { return [device]; },
  };
  Object.defineProperty(navigator, "usb", { value: usb, configurable: true });
})();
"""


def test_a_usb_printer_on_a_laptops_chrome_gets_the_receipt(browser, server, fair):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(
        browser, server, fair, init_script=FAKE_USB, viewport=SIZES["laptop"]
    )
    jobs = _fetched_jobs(page)
    page.wait_for_selector("#printer:not([hidden])")
    assert page.evaluate(STICKING_OUT)["out"] == []
    screenshot(page, "till-printer-screen-fr-laptop.png")
    assert not page.is_visible("#printer-chunks")  # no Bluetooth here: no write size to choose
    _choose(page, "usb", named="TM-T20II")
    _sell_a_pot(page, fair)
    page.wait_for_selector("#print-status:text('Imprimé')")
    assert _written(page, "__usb") == _server_bytes(server, fair, jobs[0])
    # Asked for printers (USB class 7), wrote to the bulk OUT endpoint of the interface.
    assert page.evaluate("window.__usb.filters") == [{"classCode": 7}]
    assert page.evaluate("[window.__usb.endpoint, window.__usb.claimed]") == [1, 0]
    context.close()


def test_rawbt_takes_the_waiting_receipts_in_one_intent_on_a_tap(browser, server, fair):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    # The tap that chooses RawBT prints what waits then (nothing yet): the receipts below
    # come after its claim was answered, or that same tap would hand them to RawBT.
    with page.expect_response(_tapped_claim):
        _choose(page, "rawbt")
    # Two receipts waiting that no tap on this phone paid (the booth's other phone's sales,
    # or sent from the outbox later): Android opens no intent without a tap, so it asks one.
    jobs = _fetched_jobs(page)
    for _ in range(2):
        _pot_sold_elsewhere(server, fair, "card")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#print-waiting-count:text('2')")
    assert page.evaluate("window.__intents || []") == []
    page.click("#print-waiting")
    page.wait_for_selector("#print-waiting", state="hidden")
    [intent] = page.evaluate("window.__intents")
    carried = intent.removeprefix("intent:base64,").split("#Intent;")[0]
    assert len(jobs) == 2
    assert base64.b64decode(carried) == b"".join(_server_bytes(server, fair, j) for j in jobs)
    for number in ("A01-000001", "A01-000002"):
        assert _print_status(server, fair, number, "sent") == "sent"
    page.click("header .print-confirm")
    for number in ("A01-000001", "A01-000002"):
        assert _print_status(server, fair, number) == "printed"
    context.close()


def test_the_tap_that_chooses_rawbt_prints_the_receipt_already_waiting(browser, server, fair):
    _printer_on_phone(server, fair)
    sale = _pot_sold_elsewhere(server, fair, "cash")
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    jobs = _fetched_jobs(page)
    _choose(page, "rawbt")  # the first morning: the receipt sold before the printer was chosen
    page.wait_for_selector("header .print-confirm:visible")
    [intent] = page.evaluate("window.__intents")
    carried = intent.removeprefix("intent:base64,").split("#Intent;")[0]
    assert base64.b64decode(carried) == _server_bytes(server, fair, jobs[0])
    assert _print_status(server, fair, sale["receipt_number"], "sent") == "sent"
    context.close()


def test_rawbt_that_does_not_open_leaves_the_receipt_not_printed(browser, server, fair):
    _printer_on_phone(server, fair)
    context, page = open_paired_till(browser, server, fair, init_script=_fake())
    page.evaluate("window.__rawbtMissing = true")  # Android found no RawBT app
    _choose(page, "rawbt")
    _sell_a_pot(page, fair)
    page.wait_for_selector("#print-status:text('RawBT ne s')", timeout=10_000)
    assert _print_status(server, fair, "A01-000001", "failed") == "failed"
    assert page.locator(".print-confirm:visible").count() == 0
    context.close()
