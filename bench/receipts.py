"""A typical 80 mm receipt (10 lines in Arabic and French, QR): bytes and render time,
against the whole receipt sent as one full-width raster, measured in the same run."""

from __future__ import annotations

import statistics
import time

ROUNDS = 50


def _median_ms(function) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run() -> None:
    from printers import text
    from printers.render import render_full_raster, render_receipt
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
