"""Text compared the way people mean it: a search or a header typed with or without accents."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: 'BÉNI-MELLAL ' -> 'beni mellal'. In Arabic, no
    vowel marks nor hamza seats, and the letters typed for one another made one."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.translate(_ARABIC_VARIANTS)
    return re.sub(r"[\s\-_'’]+", " ", plain).strip()


_ARABIC_VARIANTS = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})
