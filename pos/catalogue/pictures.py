"""A product's photo made small enough for a phone to keep offline: a camera's 4 MB JPEG
becomes a WebP of a few KB (at most ``MAX_BYTES``), its orientation applied."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from pos.core.errors import invalid
from pos.core.messages import N_

UPLOAD_MAX_BYTES = 12 * 1024 * 1024  # a phone camera's photo, with room to spare
MAX_BYTES = 30_000
SIDE = 320  # pixels on its longer side: a grid tile is about 110 CSS px, 3 device px each
QUALITIES = (70, 55, 40, 25)
# Refuse images whose header claims more pixels than any phone camera takes (a small file
# that would unpack to gigabytes).
MAX_PIXELS = 60_000_000
CONTENT_TYPE = "image/webp"


def small_picture(upload: bytes) -> tuple[bytes, str]:
    """The picture to keep and its version, or 422 naming ``picture``."""
    try:
        with Image.open(io.BytesIO(upload)) as image:
            if image.width * image.height > MAX_PIXELS:
                invalid("picture", N_("This picture is too large."))
            image.draft("RGB", (SIDE * 2, SIDE * 2))  # a JPEG decodes at a fraction: faster
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        invalid("picture", N_("Not a picture (JPEG, PNG or WebP)."))
    picture.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
    for quality in QUALITIES:
        out = io.BytesIO()
        picture.save(out, "WEBP", quality=quality, method=4)
        if out.tell() <= MAX_BYTES:
            break
        picture.thumbnail((picture.width * 3 // 4, picture.height * 3 // 4))
    data = out.getvalue()
    if len(data) > MAX_BYTES:  # never seen: even a busy photo is a few KB at this size
        invalid("picture", N_("This picture is too large."))
    return data, hashlib.sha256(data).hexdigest()[:16]
