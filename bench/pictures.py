"""A product's photo made small (``pos.catalogue.pictures``): a phone camera's 4 MB JPEG to
a WebP of at most 30 KB, beside the baseline of only decoding that JPEG, measured in the
same run."""

from __future__ import annotations

import io

from bench import median_seconds


def run() -> None:
    from PIL import Image

    from pos.catalogue.pictures import small_picture
    from tests.support import a_photo

    photo = a_photo(1900)  # noise: the worst a busy stall's photo compresses

    def decode_only():
        with Image.open(io.BytesIO(photo)) as image:
            image.load()

    kept: list[int] = []

    def whole():
        kept.append(len(small_picture(photo)[0]))

    baseline = median_seconds(decode_only, rounds=5)
    measured = median_seconds(whole, rounds=5)
    print(
        f"a photo of {len(photo) / 1e6:.1f} MB made a picture of {kept[-1] / 1000:.1f} KB "
        f"(at most 30 KB): {measured * 1000:.0f} ms; baseline, decoding the JPEG alone: "
        f"{baseline * 1000:.0f} ms; ratio {measured / baseline:.2f}"
    )
