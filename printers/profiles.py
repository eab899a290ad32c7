"""The python-escpos printer profiles a booth may choose from."""

from __future__ import annotations

from escpos.capabilities import CAPABILITIES


def known_profiles() -> frozenset[str]:
    return frozenset(CAPABILITIES["profiles"])
