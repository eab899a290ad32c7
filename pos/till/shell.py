"""The till's offline shell: the files its service worker keeps, and the version their
content makes. The worker's cache is named after that version, so a change to any of them
changes the worker's own bytes: every phone installs the new worker, which keeps the new
files and drops the old ones (``static/sw.js``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from printers.fonts import font_path

# Served under /till/static/, kept offline by the worker beside /till and /till/font.ttf.
SHELL_FILES = ("printer.js", "till.js", "till.css")
VERSION_MARK = "__VERSION__"
_known: dict[tuple, str] = {}


def static_folder() -> Path:
    """Where the till's files are served from: the package's, or ``POS_TILL_STATIC_FOLDER``
    (a till's new version tried on one server)."""
    configured = current_app.config.get("POS_TILL_STATIC_FOLDER")
    return Path(configured) if configured else Path(__file__).parent / "static"


def version() -> str:
    """A digest of the shell's files (and the font), recomputed when one of them changes."""
    files = [static_folder() / name for name in SHELL_FILES] + [Path(font_path())]
    stamp = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    if stamp not in _known:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.read_bytes())
        _known[stamp] = digest.hexdigest()[:16]
    return _known[stamp]


def service_worker() -> str:
    return (static_folder() / "sw.js").read_text(encoding="utf-8").replace(VERSION_MARK, version())
