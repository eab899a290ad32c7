"""Booth pairing cards: a printable page of cards, each pairing one phone with its booth."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _

from pos.core import labels
from pos.core.db import utcnow
from pos.core.messages import N_
from pos.core.pdf import ShapedPDF
from pos.devices import services
from pos.devices.models import Device
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from printers.render import qr_code

COLUMNS, ROWS = 2, 4
CARD_HELP = N_("Scan this code with the booth's phone, or open %(page)s on it and type the code.")
WIDTH, HEIGHT = 95.0, 68.0


def card_label() -> str:
    """The label of a phone paired by a card, in both languages (the same on every run)."""
    return " / ".join(_in(language, "Pairing card") for language in labels.RECEIPT_LANGUAGES)


def _in(language: str, msgid: str, **params) -> str:
    with labels.language(language):
        return _(msgid, **params)


@contextmanager
def _shaped(pdf: ShapedPDF, text: str) -> Iterator[None]:
    """HarfBuzz only for text that needs it: shaping Latin text costs as much as Arabic and
    changes nothing, and 320 cards of it take seconds."""
    needed = any("\u0590" <= char <= "\u08ff" for char in text)
    if not needed:
        pdf.set_text_shaping(False)
    try:
        yield
    finally:
        if not needed:
            pdf.set_text_shaping(True)


def make_cards(event: Event, principal=None) -> list[tuple[Exhibitor, dict]]:
    """A fresh pairing code for every booth; codes of earlier cards never used are revoked."""
    label = card_label()
    exhibitors = db.session.scalars(
        sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
    ).all()
    stale = db.session.scalars(
        sa.select(Device).where(
            Device.exhibitor_id.in_([e.id for e in exhibitors]),
            Device.label == label,
            Device.paired_at.is_(None),
            Device.revoked_at.is_(None),
        )
    ).all()
    for device in stale:
        device.revoked_at = utcnow()
        device.pairing_code_hash = None
    return [
        (exhibitor, services.create_device(exhibitor, label, principal, with_qr=False))
        for exhibitor in exhibitors
    ]


def cards_pdf(event: Event, cards: list[tuple[Exhibitor, dict]]) -> bytes:
    booth = {language: _in(language, "Booth") for language in labels.RECEIPT_LANGUAGES}
    pdf = ShapedPDF()
    pdf.set_auto_page_break(False)
    help_lines: dict[str, list[str]] = {}
    for index, (exhibitor, device) in enumerate(cards):
        slot = index % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        if not help_lines:
            # Every card says the same thing: its lines are broken once, not 320 times.
            page = device["pairing_url"].split("?")[0]
            pdf.set_font("Plex", "", 7.5)
            help_lines = {
                language: cast(
                    list[str],
                    pdf.multi_cell(
                        WIDTH - 6,
                        3.8,
                        _in(language, CARD_HELP, page=page),
                        dry_run=True,
                        output="LINES",
                    ),
                )
                for language in labels.RECEIPT_LANGUAGES
            }
        x = 10 + (slot % COLUMNS) * WIDTH
        y = 10 + (slot // COLUMNS) * HEIGHT
        pdf.set_draw_color(160, 160, 160)
        pdf.set_line_width(0.2)
        pdf.set_dash_pattern(dash=1.5, gap=1.5)  # where to cut
        pdf.rect(x, y, WIDTH, HEIGHT)
        pdf.set_dash_pattern()
        pdf.image(qr_code(device["pairing_url"], module=6, border=1), x=x + 3, y=y + 14, w=36, h=36)
        pdf.set_xy(x + 3, y + 3)
        pdf.set_font("Plex", "B", 20)
        with _shaped(pdf, booth["fr"]):
            pdf.cell(WIDTH - 6, 9, f"{booth['fr']} {exhibitor.booth}")
        pdf.set_xy(x + 3, y + 3)
        pdf.set_font("Plex", "B", 14)
        pdf.cell(WIDTH - 6, 9, f"{booth['ar']} {exhibitor.booth}", align="R")
        pdf.set_xy(x + 42, y + 14)
        pdf.set_font("Plex", "B", 10)
        pdf.multi_cell(WIDTH - 45, 5, exhibitor.name_ar[:80], align="R")
        pdf.set_x(x + 42)
        pdf.set_font("Plex", "", 8)
        with _shaped(pdf, exhibitor.name):
            pdf.multi_cell(WIDTH - 45, 4, exhibitor.name[:90])
        pdf.set_xy(x + 42, y + 38)
        pdf.set_font("Plex", "B", 15)
        with _shaped(pdf, ""):
            pdf.cell(WIDTH - 45, 7, device["pairing_code"])
        pdf.set_xy(x + 3, y + 52)
        pdf.set_font("Plex", "", 7.5)
        for language, align in (("fr", "L"), ("ar", "R")):
            with _shaped(pdf, help_lines[language][0] if help_lines[language] else ""):
                for line in help_lines[language]:
                    pdf.set_x(x + 3)
                    pdf.cell(WIDTH - 6, 3.8, line, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_title(f"{event.name} – {_in('fr', 'Pairing cards')}")
    return bytes(pdf.output())
