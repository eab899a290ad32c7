"""Pairing cards for the 320 booths of the demo fair (goal: at most 3 s, issue 16): the
codes made and the PDF drawn, beside the baseline of making the 320 codes alone (rows, hashes,
tokens and journal, no drawing), measured in the same run on SQLite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench import median_seconds, migrate_quietly

os.environ.setdefault("POS_SECRET_KEY", "bench")
BOOTHS = 320


def run() -> None:
    from pos import create_app
    from pos.demo.fair import build_fair
    from pos.devices import cards
    from pos.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="bench-cards-"))
    url = f"sqlite:///{folder / 'cards.db'}"
    migrate_quietly(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.test_request_context():
        event = build_fair(BOOTHS, 0)

        def codes_only():
            cards.make_cards(event)
            db.session.rollback()

        def whole():
            cards.cards_pdf(event, cards.make_cards(event))
            db.session.rollback()

        baseline = median_seconds(codes_only)
        measured = median_seconds(whole)
    print(
        f"pairing cards for {BOOTHS} booths: {measured:.2f} s (goal: at most 3 s); "
        f"baseline, their codes alone: {baseline:.2f} s; ratio {measured / baseline:.1f}"
    )
