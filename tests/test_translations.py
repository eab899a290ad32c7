"""Every string of the pages is in the catalogs, translated, and compiled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "pos" / "translations"


def test_catalogs_hold_every_string_translated_and_compiled(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "-o",
            str(template),
            str(ROOT / "pos"),
        ],
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    assert len(wanted) > 50
    for language in ("ar", "fr", "en"):
        folder = TRANSLATIONS / language / "LC_MESSAGES"
        with (folder / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        translated = {_key(m.id): _key(m.string) for m in catalog if m.id}
        assert {_key(msgid) for msgid in wanted} <= set(translated), language
        for msgid in wanted:
            # Every form of a plural entry (six in Arabic) is written.
            forms = translated[_key(msgid)]
            assert all(forms) if isinstance(forms, tuple) else forms, (language, msgid)
        with (folder / "messages.mo").open("rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        assert compiled == translated, f"{language}: run `make translations`"


def _key(value):
    """A plural entry's ids or forms (a tuple in a .po, a list in a .mo) as a tuple."""
    return tuple(value) if isinstance(value, (list, tuple)) else value
