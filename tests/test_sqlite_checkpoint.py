"""SQLite's WAL is copied into the database by the checkpointing thread, not by a commit."""

from __future__ import annotations

import os
import sqlite3
import time

from pos.core import sqlite_checkpoint


def _writer(path) -> sqlite3.Connection:
    """A connection as a served worker's: WAL, no automatic checkpoint. Kept open: closing
    the last connection would checkpoint."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")  # as a served worker's connections
    connection.execute("CREATE TABLE IF NOT EXISTS t (x BLOB)")
    return connection


def test_the_wal_reaches_the_database_without_a_commit_doing_it(tmp_path):
    path = str(tmp_path / "fair.db")
    writer = _writer(path)
    empty = os.path.getsize(path)
    for _ in range(300):  # about 1,200 pages: past SQLite's own threshold of 1,000
        writer.execute("INSERT INTO t VALUES (randomblob(4000))")
    assert os.path.getsize(path) == empty  # no commit copied anything back
    sqlite_checkpoint.start(path, every_seconds=0.2)
    deadline = time.monotonic() + 10
    while os.path.getsize(path) < 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert os.path.getsize(path) >= 1_000_000  # the thread copied the WAL in
    writer.close()
