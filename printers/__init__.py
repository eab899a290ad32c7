"""Receipt rendering and delivery to ESC/POS printers. Knows nothing of Flask or the database."""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path


def _escpos_capabilities_cache() -> None:
    """python-escpos parses its printer profiles (a 2 MB file, as YAML) at import, half a
    second of every process that prints or renders, unless it finds its own pickle of
    them; by default it looks in a new temporary folder each time, so never does. Kept in
    the user's cache instead, private (the pickle is loaded), one folder per version."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "tadamon" / f"escpos-{version('python-escpos')}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid != os.getuid() or folder.stat().st_mode & 0o077:
            return  # not ours alone: let python-escpos use a temporary folder
    except OSError:
        return
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)


_escpos_capabilities_cache()
