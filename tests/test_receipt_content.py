"""What a receipt must say (loi 31-08, art. 4: the seller, its address, the place of sale,
each item's quantity, unit and price, the total, with VAT the total all taxes included), and
how it reads in Arabic: each element read back from the bytes the printer gets."""

from __future__ import annotations

import uuid

import pytest

from printers.decode import decode
from printers.receipt import ReceiptVat
from printers.render import PAPERS, render_receipt
from tests.printing_support import OUTPUT, has_drawn, typical_receipt
from tests.support import auth, post_sale, simple_sale

NBSP = "\u00a0"
VAT = [ReceiptVat("10", "56.82", "5.68"), ReceiptVat("20", "300.00", "60.00")]


def _drawn_index(decoded, text: str, size: int, *, bold: bool = False, paper: int = 80) -> int:
    """The block at which ``text`` is drawn, as ``has_drawn`` finds it."""
    for index, block in enumerate(decoded.blocks):
        if block[0] == "image" and has_drawn(
            _only(decoded, block), text, size, bold=bold, paper=paper
        ):
            return index
    raise AssertionError(f"not drawn: {text}")


def _only(decoded, block):
    return type(decoded)(decoded.width, blocks=[block])


def _text_index(decoded, starting: str) -> int:
    for index, block in enumerate(decoded.blocks):
        if block[0] == "text" and block[1].startswith(starting):
            return index
    raise AssertionError(f"not printed: {starting}")


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("vat", [False, True], ids=["exempt", "subject"])
def test_each_required_element_reads_back_from_the_printed_receipt(paper, vat):
    receipt = typical_receipt(**({"vat": VAT, "ice": "001234567000089"} if vat else {}))
    [printed] = decode(render_receipt(receipt, paper), PAPERS[paper].dots)
    printed.to_image().save(OUTPUT / f"elements-{paper}mm-{'subject' if vat else 'exempt'}.png")
    text = "\n".join(printed.text_lines)
    # The fair and where it is held, in both languages.
    assert "Place Hay Al Amal, Khénifra" in text
    assert has_drawn(printed, "ساحة حي الأمل، خنيفرة", 24, paper=paper)
    # The seller: its name in both languages, its town, its stand, its ICE when it has one.
    assert "Imilchil" in printed.text_lines
    assert "Stand A01" in text and has_drawn(printed, "الرواق A01", 24, paper=paper)
    assert ("ICE 001234567000089" in text) == vat
    # The receipt's number, its time, and the member who sold, in both languages.
    assert "29/11/2026 17:45" in text
    assert has_drawn(printed, "وصل A01-000042", 24, bold=True, paper=paper)
    assert f"Caisse{NBSP}: Fatima Zahra" in text
    assert has_drawn(printed, "الصندوق: Fatima Zahra", 24, paper=paper)
    # Each item: its quantity and unit, its price per that unit, its amount.
    assert "0.25 kg x 250.00 DH/kg" in text and "2 x 130.00 DH" in text
    assert "3 g x 35.00 DH/g" in text and "1.5 kg x 40.00 DH/kg" in text
    # The total: all taxes included when the seller charges VAT, and it says so.
    total = [line for line in printed.text_lines if line.startswith("TOTAL")]
    assert [line.split("  ")[0] for line in total] == ["TOTAL TTC" if vat else "TOTAL"]
    arabic_total = "المجموع مع احتساب الرسوم" if vat else "المجموع"
    if paper == 80 or not vat:  # on 58 mm the longer label wraps, its amount at its end
        assert has_drawn(
            printed, f"{arabic_total}:{NBSP}1735.00{NBSP}درهم", 30, bold=True, paper=paper
        )
    # The payment, with each label and its amount on one line in each language.
    lines = printed.text_lines
    assert any(line.startswith("Espèces") and line.endswith("1735.00 DH") for line in lines)
    assert has_drawn(printed, f"نقدا:{NBSP}1735.00{NBSP}درهم", 24, paper=paper)
    # The footer: a line a language.
    assert "Merci\u00a0!" in printed.text_lines and has_drawn(printed, "شكرا", 22, paper=paper)


@pytest.mark.parametrize("paper", [58, 80])
def test_arabic_comes_first_in_every_block_and_is_as_large_as_the_french(paper):
    """One order throughout, Arabic then French: the fair, the seller, the stand, the
    receipt, who sold, each item, the total, the payment. And the Arabic as large as the
    printer's own 24-dot font beside it, on 58 mm as on 80 mm."""
    [printed] = decode(render_receipt(typical_receipt(), paper), PAPERS[paper].dots)
    pairs = [
        (("تعاونية إملشيل – العسل ومشتقاته", 28, True), "Coopérative Imilchil"),
        (("الرواق A01", 24, False), "Stand A01"),
        (("وصل A01-000042", 24, True), "Reçu"),
        (("الصندوق: Fatima Zahra", 24, False), "Caisse"),
        (("عسل الزعتر", 24, False), "Miel de thym"),
        ((f"المجموع:{NBSP}1735.00{NBSP}درهم", 30, True), "TOTAL"),
        ((f"نقدا:{NBSP}1735.00{NBSP}درهم", 24, False), "Espèces"),
    ]
    for (arabic, size, bold), french in pairs:
        drawn = _drawn_index(printed, arabic, size, bold=bold, paper=paper)
        assert drawn < _text_index(printed, french), (arabic, french)
        image = printed.blocks[drawn][1]
        assert image.height >= 24, (arabic, image.height)  # the French's cell height


def test_a_compact_receipt_draws_its_arabic_smaller():
    [compact] = decode(render_receipt(typical_receipt(), 58, compact=True), 384)
    assert not has_drawn(compact, "الرواق A01", 24, paper=58)
    assert has_drawn(compact, "الرواق A01", 18, paper=58)


def _set_up_booth(client, fair):
    organiser = auth(fair.organiser_token)
    place = {"place": "Place Hay Al Amal, Khénifra", "place_ar": "ساحة حي الأمل، خنيفرة"}
    answer = client.patch(f"/api/v1/events/{fair.event_id}", json=place, headers=organiser)
    assert answer.status_code == 200 and answer.json["place_ar"] == place["place_ar"]
    answer = client.patch(
        f"/api/v1/exhibitors/{fair.a.id}", json={"address": "Imilchil"}, headers=organiser
    )
    assert answer.status_code == 200 and answer.json["address"] == "Imilchil"
    answer = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=organiser,
        json={
            "connection": "device",
            "paper_width_mm": 58,
            "profile": "POS-5890",
        },
    )
    assert answer.status_code == 200 and answer.json["compact"] is False
    answer = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/members",
        json={"name": "Fatima", "pin": "4821"},
        headers=organiser,
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _printed(client, booth, kind):
    jobs = client.get(
        f"/api/v1/exhibitors/{booth.id}/print-jobs?state=pending", headers=auth(booth.token)
    ).json
    [job] = [job for job in jobs if job["kind"] == kind]
    data = client.get(f"/api/v1/print-jobs/{job['id']}/escpos", headers=auth(booth.token)).data
    return data, decode(data, PAPERS[58].dots)[0]


def test_the_booths_receipt_names_its_town_the_fairs_place_and_the_member(client, fair):
    """Through the app: the place set on the fair, the address on the exhibitor, the member
    on the sale; a reprint is a DUPLICATA; a booth's compact receipts are smaller."""
    fatima = _set_up_booth(client, fair)
    body = simple_sale(fair.a.products["pot"]) | {"member_id": fatima}
    sale = post_sale(client, fair.a.token, fair.a.id, body).json
    data, receipt = _printed(client, fair.a, "receipt")
    text = "\n".join(receipt.text_lines)
    assert "Place Hay Al Amal, Khénifra" in text and "Imilchil" in receipt.text_lines
    assert f"Caisse{NBSP}: Fatima" in text and has_drawn(receipt, "الصندوق: Fatima", 24, paper=58)
    assert not has_drawn(receipt, "نظير / DUPLICATA", 30, bold=True, paper=58)

    headers = {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())}
    assert client.post(f"/api/v1/sales/{sale['id']}/reprint", headers=headers).status_code == 202
    _, copy = _printed(client, fair.a, "copy")
    assert has_drawn(copy, "نظير / DUPLICATA", 30, bold=True, paper=58)

    _set_up_booth_compact(client, fair)
    compact = client.get(
        f"/api/v1/print-jobs/{_job_id(client, fair.a, 'receipt')}/escpos",
        headers=auth(fair.a.token),
    ).data
    assert len(compact) < 0.8 * len(data)


def _set_up_booth_compact(client, fair):
    answer = client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "device", "paper_width_mm": 58, "profile": "POS-5890", "compact": True},
    )
    assert answer.status_code == 200 and answer.json["compact"] is True


def _job_id(client, booth, kind):
    jobs = client.get(
        f"/api/v1/exhibitors/{booth.id}/print-jobs?state=pending", headers=auth(booth.token)
    ).json
    return next(job["id"] for job in jobs if job["kind"] == kind)


def test_without_an_address_the_receipt_names_the_province(client, fair):
    organiser = auth(fair.organiser_token)
    client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=organiser,
        json={"connection": "device", "paper_width_mm": 58, "profile": "POS-5890"},
    )
    province = client.get(f"/api/v1/exhibitors/{fair.a.id}", headers=organiser).json["province"]
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    _, receipt = _printed(client, fair.a, "receipt")
    assert province in receipt.text_lines
    # Who sold is not known (no member named): the receipt names the booth's phone.
    assert any(line.startswith(f"Caisse{NBSP}: ") for line in receipt.text_lines)


def test_the_public_receipt_page_shows_the_same_receipt(app, client, fair):
    """The page the receipt's QR code opens: the seller's town, the fair's place, who sold,
    the price per unit; its title plain text."""
    fatima = _set_up_booth(client, fair)
    body = simple_sale(fair.a.products["honey"], quantity="0.500", amount="125.00")
    sale = post_sale(client, fair.a.token, fair.a.id, body | {"member_id": fatima}).json
    with app.app_context():
        from pos.extensions import db
        from pos.sales.models import Sale

        public_id = db.session.get(Sale, sale["id"]).public_id
    page = client.get(f"/r/{public_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    title = html.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and sale["receipt_number"] in title
    for shown in ("Imilchil", "Place Hay Al Amal, Khénifra", "Fatima", "DH/kg"):
        assert shown in html, shown
