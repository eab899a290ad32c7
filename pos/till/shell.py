"""The till's offline shell: the files its service worker keeps, and the version their
content makes. The worker's cache is named after that version, so a change to any of them
changes the worker's own bytes: every phone installs the new worker, which keeps the new
files and drops the old ones (``static/sw.js``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import current_app

from printers.fonts import font_path

VERSION_MARK, SHELL_MARK = "__VERSION__", "__SHELL__"
# Served under /till/static/ but not the till's own code: the worker itself, and the
# pairing page's script.
NOT_SHELL = ("sw.js", "paired.js")
_known: dict[tuple, str] = {}


def static_folder() -> Path:
    """Where the till's files are served from: the package's, or ``POS_TILL_STATIC_FOLDER``
    (a till's new version tried on one server)."""
    configured = current_app.config.get("POS_TILL_STATIC_FOLDER")
    return Path(configured) if configured else Path(__file__).parent / "static"


def shell_files() -> list[str]:
    """The till's modules and style sheet, by name."""
    folder = static_folder()
    names = [path.name for path in folder.iterdir() if path.suffix in (".js", ".css")]
    return sorted(name for name in names if name not in NOT_SHELL)


def shell_urls() -> list[str]:
    """What the worker keeps: the page, its files and its font."""
    return ["/till", *(f"/till/static/{name}" for name in shell_files()), "/till/font.ttf"]


def version() -> str:
    """A digest of the shell's files (and the font), recomputed when one of them changes."""
    files = [static_folder() / name for name in shell_files()] + [Path(font_path())]
    stamp = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    if stamp not in _known:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.read_bytes())
        _known[stamp] = digest.hexdigest()[:16]
    return _known[stamp]


def service_worker() -> str:
    text = (static_folder() / "sw.js").read_text(encoding="utf-8")
    return text.replace(VERSION_MARK, version()).replace(SHELL_MARK, json.dumps(shell_urls()))
