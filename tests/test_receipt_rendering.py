"""The printed receipt, decoded back from the bytes the printer would get."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import ImageChops, ImageOps

from printers.decode import decode
from printers.render import COMPACT_SCALE, PAPERS, render_receipt
from printers.text import draw_line
from tests.printing_support import OUTPUT, has_drawn, typical_receipt


def _qr_texts(receipt) -> list[str]:
    """The QR codes a phone's camera reads off the paper (the paper is their quiet zone)."""
    return [result.text for result in zxingcpp.read_barcodes(receipt.to_image().convert("L"))]


def _save(decoded, name: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    decoded.to_image().save(OUTPUT / name)


@pytest.mark.parametrize("paper", [80, 58])
def test_receipt_fits_the_paper_ends_with_a_cut_and_its_qr_reads_back(paper):
    receipt = typical_receipt()
    data = render_receipt(receipt, paper)
    [decoded] = decode(data, PAPERS[paper].dots)
    _save(decoded, f"typical-{paper}mm.png")
    assert decoded.cut
    assert data.rstrip(b"\n").endswith(b"\x1dV\x00")
    assert max(image.width for image in decoded.images) <= PAPERS[paper].dots
    assert _qr_texts(decoded) == [receipt.verify_url]
    text = "\n".join(decoded.text_lines)
    assert "A01-000042" in text and "1735.00 DH" in text and "65.00 DH" in text
    assert "Théière en cuivre" in text  # French accents as printer text (CP858)
    assert "?" not in text  # nothing the code page could not print


def test_arabic_goes_as_cropped_raster_and_no_blank_raster_is_sent():
    [decoded] = decode(render_receipt(typical_receipt()), 576)
    for line in decoded.text_lines:
        assert not any("\u0600" <= char <= "\u06ff" for char in line)
    for image in decoded.images:
        ink = ImageChops.invert(image.convert("L")).getbbox()
        assert ink is not None, "a blank raster was sent"
        # Cropped to its ink (the QR code too: white paper is fed around it): no white row,
        # and white columns only to fill the last byte (16 dots for the QR code, the square,
        # printed doubled).
        doubled = ink[2] - ink[0] == image.height  # the square
        assert (ink[1], ink[3]) == (0, image.height), ink
        assert image.width - (ink[2] - ink[0]) < (16 if doubled else 8), (ink, image.width)


def test_copy_and_void_receipts_are_marked(tmp_path):
    original = decode(render_receipt(typical_receipt()), 576)[0]
    copy = decode(render_receipt(typical_receipt(copy=True)), 576)[0]
    void = decode(
        render_receipt(
            typical_receipt(void_reason="Erreur de saisie", void_time="29/11/2026 18:02")
        ),
        576,
    )[0]
    _save(copy, "copy-80mm.png")
    _save(void, "void-80mm.png")
    assert len(copy.images) == len(original.images) + 1
    # A reprint is a duplicate, as French receipts say.
    assert has_drawn(copy, "نظير / DUPLICATA", 30, bold=True)
    # The void's mark, and when and why in both languages (Arabic drawn, French as text);
    # the Arabic line ends with the void's date, as the French does.
    assert len(void.images) == len(original.images) + 3
    assert has_drawn(void, "ملغى / ANNULÉ", 30, bold=True)
    assert has_drawn(void, "ألغي يوم 29/11/2026 18:02", 24, bold=True)
    assert has_drawn(void, "السبب: Erreur de saisie", 24)
    text = "\n".join(void.text_lines)
    assert "Annulé le 29/11/2026 18:02" in text and "Motif\u00a0: Erreur de saisie" in text


def test_every_word_of_the_receipt_is_in_french_and_in_arabic():
    """Labels come from the catalogs: each French label printed as text has its Arabic
    drawn beside it, none is left in one language."""
    [decoded] = decode(render_receipt(typical_receipt()), 576)
    _save(decoded, "typical-80mm-words.png")
    text = "\n".join(decoded.text_lines)
    for french in ("Reçu", "TOTAL", "Espèces", "Montant reçu", "Rendu", "Code de vérification"):
        assert french in text, french
    for arabic, size, bold in (
        ("الرواق A01", 24, False),
        ("وصل A01-000042", 24, True),
        ("المجموع:\u00a01735.00\u00a0درهم", 30, True),
        ("نقدا:\u00a01735.00\u00a0درهم", 24, False),
        ("المبلغ المدفوع:\u00a01800.00\u00a0درهم", 24, False),
        ("الباقي المسلم:\u00a065.00\u00a0درهم", 24, True),
        ("التحقق من الوصل", 22, False),
    ):
        assert has_drawn(decoded, arabic, size, bold=bold), arabic
    assert "1735.00 DH" in text  # the French currency with the amount, one run
    # Pieces whole, weights short, each price per what it is the price of.
    assert "2 x 130.00 DH" in text and "0.25 kg x 250.00 DH/kg" in text
    # Each French line with its Arabic drawn beside it, never French alone.
    assert "Stand A01" in text and "Vérifier ce reçu" in text


def test_cash_drawer_kick_only_when_asked():
    assert not decode(render_receipt(typical_receipt()), 576)[0].drawer_kicked
    assert decode(render_receipt(typical_receipt(open_drawer=True)), 576)[0].drawer_kicked


def test_fallback_without_raqm_shapes_arabic_like_raqm():
    word = "تعاونية إملشيل"
    shaped = draw_line(word, 28, use_raqm=True)
    fallback = draw_line(word, 28, use_raqm=False)
    # Unshaped isolated letters, drawn left to right: what python-escpos would print.
    from printers.fonts import font

    face = font(28, basic=True)
    left, _top, right, _bottom = face.getbbox(word)
    isolated_width = right - left
    OUTPUT.mkdir(parents=True, exist_ok=True)
    fallback.save(OUTPUT / "fallback-shaping.png")
    shaped.save(OUTPUT / "raqm-shaping.png")
    assert abs(fallback.width - shaped.width) <= shaped.width * 0.05
    assert abs(isolated_width - shaped.width) > shaped.width * 0.05
    # Same letters in the same order: the two drawings overlap almost entirely.
    same_size = fallback.resize(shaped.size)
    differing = ImageChops.difference(shaped.convert("L"), same_size.convert("L"))
    pixels = shaped.width * shaped.height
    assert pixels - differing.histogram()[0] < 0.2 * pixels


@pytest.mark.parametrize("use_raqm", [True, False])
def test_a_line_reads_in_the_direction_of_its_first_letter(use_raqm):
    """The bilingual footer wraps into lines that start in French and end in Arabic: such a
    line starts at the left with its French; one that starts in Arabic starts at the right."""

    def ink_by_column(image, count):
        pixels = image.convert("L").load()
        return [sum(pixels[x, y] == 0 for y in range(image.height)) for x in range(count)]

    def starts_with(line, word, *, from_right=False):
        if from_right:
            line, word = ImageOps.mirror(line), ImageOps.mirror(word)
        count = word.width // 2
        ours, theirs = ink_by_column(line, count), ink_by_column(word, count)
        return sum(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 0.1 * sum(theirs)

    merci = draw_line("Merci", 28, use_raqm=use_raqm)
    thanks = draw_line("شكرا", 28, use_raqm=use_raqm)
    french_first = draw_line("Merci ! شكرا", 28, use_raqm=use_raqm)
    arabic_first = draw_line("شكرا ! Merci", 28, use_raqm=use_raqm)
    assert starts_with(french_first, merci) and not starts_with(french_first, thanks)
    assert starts_with(arabic_first, thanks, from_right=True)
    assert not starts_with(arabic_first, merci, from_right=True)


def test_whole_receipt_renders_in_the_fallback_too():
    data = render_receipt(typical_receipt(), 80, use_raqm=False)
    [decoded] = decode(data, 576)
    _save(decoded, "typical-80mm-fallback.png")
    assert _qr_texts(decoded) == [typical_receipt().verify_url]


def test_a_compact_receipt_is_the_same_receipt_in_far_fewer_bytes():
    """Bytes are time on a phone's Bluetooth link (under 1 KB/s at 20-byte writes): a booth
    on one may choose compact receipts, its Arabic drawn at three quarters of the French's
    size. The same lines, the same text, in two thirds of the bytes or less."""
    receipt = typical_receipt()
    clear, compact = render_receipt(receipt, 58), render_receipt(receipt, 58, compact=True)
    [clear_paper], [compact_paper] = decode(clear, 384), decode(compact, 384)
    _save(clear_paper, "typical-58mm-clear.png")
    _save(compact_paper, "typical-58mm-compact.png")
    assert compact_paper.text_lines == clear_paper.text_lines
    assert len(compact) <= 2 / 3 * len(clear)
    assert len(compact) <= 11 * 1024  # ten lines, the QR code: 10.4 KB
    assert has_drawn(
        compact_paper, "المجموع:\u00a01735.00\u00a0درهم", 30 * COMPACT_SCALE, bold=True, paper=58
    )


def test_the_qr_code_is_printed_half_a_millimetre_a_module_from_a_quarter_of_the_bytes():
    """Sent at one pixel in two and printed doubled (GS v 0 quadruple mode): the decoded
    paper shows 4-dot modules, and a phone reads the code from it."""
    for paper in (58, 80):
        [decoded] = decode(render_receipt(typical_receipt(), paper), PAPERS[paper].dots)
        [code] = [image for image in decoded.images if image.height > 100]
        ink = ImageChops.invert(code.convert("L")).getbbox()
        # Version 3 (29 modules): the URL in capitals, in the alphanumeric mode.
        assert (ink[2] - ink[0], ink[3] - ink[1]) == (29 * 4, 29 * 4)
        assert _qr_texts(decoded) == [typical_receipt().verify_url]
