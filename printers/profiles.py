"""The python-escpos printer profiles a booth may choose from."""

from __future__ import annotations

from escpos.capabilities import CAPABILITIES

DEFAULT_PROFILE_BY_PAPER_MM = {80: "TM-T20II", 58: "POS-5890"}


def known_profiles() -> frozenset[str]:
    return frozenset(CAPABILITIES["profiles"])
