"""SQLite's WAL copied back into the database by a thread of its own, not by a sale.

By default SQLite checkpoints in the connection whose commit takes the WAL past 1,000
pages: that sale then also copies the WAL into the database file and fsyncs it, tens of
milliseconds on a fair's history, while every other booth waits on the writer lock. Served
(``pos serve``), each worker process instead turns automatic checkpoints off and runs a
PASSIVE checkpoint every ``POS_SQLITE_CHECKPOINT_SECONDS`` in this thread: it neither
waits for nor blocks writers, and a commit is again one WAL append and its fsync
(``synchronous = FULL``: an acknowledged sale still survives a power cut).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time

log = logging.getLogger(__name__)
_RUNNING: set[tuple[int, str]] = set()
_LOCK = threading.Lock()


def start(path: str, every_seconds: float) -> None:
    """One checkpointing thread per process and database file (a forked worker starts its
    own at its first connection)."""
    key = (os.getpid(), os.path.realpath(path))
    with _LOCK:
        if key in _RUNNING:
            return
        _RUNNING.add(key)
    threading.Thread(
        target=_run, args=(key[1], every_seconds), name="sqlite-checkpoint", daemon=True
    ).start()


def _run(path: str, every_seconds: float) -> None:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout = 0")  # another process's checkpoint: next time
    while True:
        time.sleep(every_seconds)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:  # busy, or the file went away (a test's database)
            log.debug("checkpoint of %s skipped: %s", path, error)
            if not os.path.exists(path):
                return
