"""Tadamon POS: point of sale and sales tracking for the fairs of the social and solidarity
economy. The application factory is ``pos.app.create_app``; this package stays light, so
that a command can lower its priority before the second of imports the app takes
(``pos.__main__``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    from pos.app import create_app as create

    return create(test_config)
