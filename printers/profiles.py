"""The python-escpos printer profiles a booth may choose from, and the code page each
prints French in."""

from __future__ import annotations

from escpos.capabilities import CAPABILITIES

# French's code pages, best first: CP858 is CP850 with the euro sign; CP1252 has every
# accent too. Without any of them, French prints in plain ASCII, its accents folded.
FRENCH_CODE_PAGES = ("CP858", "CP850", "CP1252")
ASCII = "ASCII"


def known_profiles() -> frozenset[str]:
    return frozenset(CAPABILITIES["profiles"])


def code_pages(profile: str) -> dict[int, str]:
    """The profile's code pages by their ``ESC t`` number."""
    pages = CAPABILITIES["profiles"][profile].get("codePages", {})
    return {int(number): name for number, name in pages.items()}


def best_code_page(profile: str) -> str:
    """The code page to print French in on this profile's printers, or ``ASCII``."""
    offered = set(code_pages(profile).values())
    return next((page for page in FRENCH_CODE_PAGES if page in offered), ASCII)


def printable_dots(profile: str) -> int | None:
    """How many dots a line the profile's printers print, when the profile says."""
    pixels = CAPABILITIES["profiles"][profile].get("media", {}).get("width", {}).get("pixels")
    return pixels if isinstance(pixels, int) else None
