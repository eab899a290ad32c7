"""Receipts: a 10-line 80 mm receipt's bytes and render time, and a phone's 58 mm receipt's
bytes and the time to send them over Bluetooth, each against the whole receipt sent as one
full-width raster, measured in the same run."""

from __future__ import annotations

from bench import median_seconds

ROUNDS = 50
# A BLE write with response takes about this long on a phone (one connection interval or
# two); the time to send a receipt is its writes times this.
WRITE_SECONDS = 0.015
CHUNKS = (100, 20)


def _median_ms(function) -> float:
    return median_seconds(function, ROUNDS) * 1000


def render_full_raster(receipt, paper_width_mm: int = 80) -> bytes:
    """The whole receipt as one full-width raster: the baseline a small receipt is measured
    against (what printing everything as an image would cost)."""
    import qrcode
    from escpos.printer import Dummy
    from PIL import Image

    from printers.render import PAPERS, qr_image, quantity_text
    from printers.text import draw_line

    paper, fr = PAPERS[paper_width_mm], receipt.french
    rows = [
        receipt.fair_name,
        receipt.fair_name_ar,
        receipt.exhibitor_name_ar,
        receipt.exhibitor_name,
        f"{fr.booth} {receipt.booth}",
        f"{fr.receipt} {receipt.receipt_number}",
        f"{receipt.local_time}  {receipt.cashier}",
    ]
    for line in receipt.lines:
        rows += [
            line.name,
            line.name_ar,
            f"{quantity_text(line.quantity, line.unit, fr)} x {line.unit_price} {line.line_total}",
        ]
    rows += [receipt.arabic.total, f"{fr.total} {receipt.total} {fr.currency}"]
    if receipt.vat is None:
        rows += [receipt.arabic.vat_exempt, fr.vat_exempt]
    for row in receipt.vat or ():
        rows += [f"{receipt.arabic.vat} {row.rate}%", f"{fr.vat} {row.rate}% {row.amount}"]
    rows += [f"{fr.methods[p.method]} {p.amount}" for p in receipt.payments]
    images = [draw_line(row, 24) for row in rows]
    code = qrcode.QRCode(border=2, box_size=4, mask_pattern=2)
    code.add_data(receipt.verify_url)
    images.append(qr_image(code, 4))
    page = Image.new("1", (paper.dots, sum(image.height + 8 for image in images)), 1)
    y = 0
    for image in images:
        page.paste(image.crop((0, 0, min(image.width, paper.dots), image.height)), (0, y))
        y += image.height + 8
    printer = Dummy(profile=paper.profile)
    printer.hw("INIT")
    printer.image(page, impl="bitImageRaster", center=False)
    printer.cut()
    return printer.output


def run() -> None:
    from printers import text
    from printers.render import render_receipt
    from tests.printing_support import typical_receipt

    receipt = typical_receipt()
    small = render_receipt(receipt)
    full = render_full_raster(receipt)

    def cold():
        text._draw_line.cache_clear()
        render_receipt(receipt)

    warm_ms = _median_ms(lambda: render_receipt(receipt))
    cold_ms = _median_ms(cold)
    full_ms = _median_ms(lambda: (text._draw_line.cache_clear(), render_full_raster(receipt)))
    print(
        f"receipt: {len(small):,} bytes; render {warm_ms:.1f} ms (names already drawn), "
        f"{cold_ms:.1f} ms (nothing cached)"
    )
    print(f"baseline, full-width raster of the same receipt: {len(full):,} bytes, {full_ms:.1f} ms")
    print(
        f"ratio: {len(small) / len(full):.2f} of the bytes, {cold_ms / full_ms:.2f} of the "
        "time (cold)"
    )


def send_seconds(size: int, chunk: int) -> float:
    """Over the simulated link: one write with response per chunk, WRITE_SECONDS each."""
    return -(-size // chunk) * WRITE_SECONDS


def run_bluetooth() -> None:
    from printers.render import render_receipt
    from tests.printing_support import typical_receipt

    ten = typical_receipt()
    for name, receipt in (("3 lines", typical_receipt(lines=ten.lines[:3])), ("10 lines", ten)):
        full = render_full_raster(receipt, 58)
        for style, compact in (("clear", False), ("compact", True)):
            small = render_receipt(receipt, 58, compact=compact)
            times = ", ".join(
                f"{send_seconds(len(small), chunk):.1f} s at {chunk}-byte writes "
                f"(full raster {send_seconds(len(full), chunk):.1f} s)"
                for chunk in CHUNKS
            )
            print(
                f"58 mm receipt, {name}, {style}: {len(small):,} bytes "
                f"(full raster {len(full):,}); {times}"
            )
            print(f"ratio: {len(small) / len(full):.2f} of the bytes and of the Bluetooth time")
