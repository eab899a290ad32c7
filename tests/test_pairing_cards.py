"""Printable pairing cards: one per booth, each QR code pairs a phone with that booth."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import zxingcpp

from tests.support import auth

OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "cards"


def test_cards_pair_each_booth_and_replace_older_cards(client, fair):
    url = f"/api/v1/events/{fair.event_id}/pairing-cards"
    assert client.post(url, headers=auth(fair.a.token)).status_code == 403
    first = client.post(url, headers=auth(fair.organiser_token))
    second = client.post(url, headers=auth(fair.organiser_token))
    assert second.status_code == 200 and second.mimetype == "application/pdf"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = pypdfium2.PdfDocument(second.data)[0].render(scale=3).to_pil()
    page.save(OUTPUT / "cards-page-1.png")
    urls = sorted(result.text for result in zxingcpp.read_barcodes(page.convert("L")))
    assert len(urls) == 2 and all("/till/pair?code=" in url for url in urls)
    text = pypdfium2.PdfDocument(second.data)[0].get_textpage().get_text_range()
    assert "Stand A01" in text and "Stand B07" in text
    codes = [url.split("code=")[1] for url in urls]
    paired = [client.post("/api/v1/devices/pair", json={"code": code}).json for code in codes]
    assert sorted(p["exhibitor_id"] for p in paired) == sorted([fair.a.id, fair.b.id])
    # The first batch of cards, never used, no longer pairs anything.
    old_page = pypdfium2.PdfDocument(first.data)[0].render(scale=3).to_pil()
    old_code = zxingcpp.read_barcodes(old_page.convert("L"))[0].text.split("code=")[1]
    assert client.post("/api/v1/devices/pair", json={"code": old_code}).status_code == 404
