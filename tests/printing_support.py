"""Receipts for tests, and where their pictures go."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageChops

from printers.receipt import Receipt, ReceiptLine, ReceiptPayment, Words
from printers.render import PAPERS
from printers.text import draw_line

OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "receipts"


@cache
def catalog_words() -> dict[str, Words]:
    """The receipt's words in French and Arabic, as the app takes them from its catalogs."""
    from pos import create_app
    from pos.receipts.content import bilingual_words

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        return bilingual_words()


def typical_receipt(**changes) -> Receipt:
    """A typical 80 mm receipt: 10 lines, names in Arabic and French, cash with change."""
    names = [
        ("Miel de thym", "عسل الزعتر", "kg", "0.250", "250.00", "62.50"),
        ("Pot de miel 500 g", "علبة عسل 500 غ", "piece", "2.000", "130.00", "260.00"),
        ("Safran en filaments", "زعفران حر", "g", "3.000", "35.00", "105.00"),
        ("Couscous d'orge", "كسكس الشعير", "kg", "1.500", "40.00", "60.00"),
        ("Théière en cuivre", "براد نحاسي", "piece", "1.000", "380.00", "380.00"),
    ] * 2
    lines = [ReceiptLine(n, a, q, u, p, t) for n, a, u, q, p, t in names]
    fields = dict(
        fair_name="3e Salon régional de l'ESS – Béni Mellal-Khénifra",
        fair_name_ar="المعرض الجهوي الثالث للاقتصاد الاجتماعي والتضامني",
        exhibitor_name="Coopérative Imilchil – Miel et dérivés",
        exhibitor_name_ar="تعاونية إملشيل – العسل ومشتقاته",
        booth="A01",
        receipt_number="A01-000042",
        local_time="29/11/2026 17:45",
        cashier="Fatima Zahra",
        lines=lines,
        total="1735.00",
        payments=[ReceiptPayment("cash", "1735.00", "1800.00", "65.00")],
        verify_url="HTTP://192.168.1.10:5000/R/5F0C2B1E9A7D4C3B8E6F1A2D3C4B5A69",
        hash_prefix="a039",
        footer="Merci\u00a0!",
        footer_ar="شكرا",
        fair_place="Place Hay Al Amal, Khénifra",
        fair_place_ar="ساحة حي الأمل، خنيفرة",
        exhibitor_address="Imilchil",
        french=catalog_words()["fr"],
        arabic=catalog_words()["ar"],
    )
    fields.update(changes)
    return Receipt(**fields)


def _ink(image):
    gray = image.convert("L")
    return gray.crop(ImageChops.invert(gray).getbbox())


def has_drawn(decoded, text: str, size: int, *, bold: bool = False, paper: int = 80) -> bool:
    """The receipt carries ``text`` drawn exactly as the renderer draws it (same pixels):
    Arabic shaped and joined, not a row of isolated letters. ``size`` as on 80 mm paper."""
    wanted = _ink(draw_line(text, PAPERS[paper].drawn_size(size), PAPERS[paper].weight(bold)))
    return any(
        ImageChops.difference(_ink(image), wanted).getbbox() is None
        for image in decoded.images
        if _ink(image).size == wanted.size
    )


def put_printer(
    client,
    organiser_token: str,
    exhibitor_id: int,
    connection: str,
    *,
    profile: str = "TM-T20II",
    paper: int = 80,
    station: str | None = None,
):
    """Set a booth's printer as its organiser does; the answer."""
    body = {"connection": connection, "profile": profile, "paper_width_mm": paper}
    return client.put(
        f"/api/v1/exhibitors/{exhibitor_id}/printer",
        headers={"Authorization": f"Bearer {organiser_token}"},
        json=body | ({"station": station} if station is not None else {}),
    )
