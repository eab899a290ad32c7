"""Waking a print worker as soon as a job it may take is committed.

On PostgreSQL a trigger on ``print_jobs`` notifies channel ``pos_print_jobs`` with the
job's station (empty: none) when a job becomes due for a worker; the notification is
delivered at the commit, and each worker listens on a connection of its own, woken by
its station's notifications only. On SQLite, a file on this machine, the worker reads
the database's change counter (``PRAGMA data_version``, no lock, no transaction) every
50 ms and looks at the queue when another connection has committed. Either way a worker
also looks every ``poll`` seconds, for retries whose backoff is over and for a lost
connection.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Protocol

import psycopg
import sqlalchemy as sa

CHANNEL = "pos_print_jobs"
SQLITE_INTERVAL = 0.05
log = logging.getLogger(__name__)


# The longest a waiter sleeps without looking whether its worker was asked to stop.
SLICE = 0.5


class Waiter(Protocol):
    def wait(self, timeout: float, stop: threading.Event) -> None:
        """Return when a job may have become due, when ``stop`` is set, or after
        ``timeout`` seconds."""

    def close(self) -> None: ...


class Notifications:
    """PostgreSQL's LISTEN, on a connection of its own (autocommit)."""

    def __init__(self, url: sa.URL, station: str | None):
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.station = station or ""
        self.connection: psycopg.Connection | None = None
        self._listen()

    def _listen(self) -> None:
        try:
            self.connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
            self.connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            log.warning("print worker: no notifications for now (%s); polling", error)
            self.close()

    def wait(self, timeout: float, stop: threading.Event) -> None:
        if self.connection is None:
            self._listen()  # the connection was lost: the next look comes after ``timeout``
            if self.connection is None:
                stop.wait(timeout)
                return
        deadline = time.monotonic() + timeout
        try:
            while (left := deadline - time.monotonic()) > 0 and not stop.is_set():
                for note in self.connection.notifies(timeout=min(left, SLICE), stop_after=1):
                    if note.payload == self.station:
                        return
        except psycopg.Error as error:
            log.warning("print worker: notifications lost (%s)", error)
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


class ChangeCounter:
    """SQLite's ``PRAGMA data_version``: it moves when another connection commits."""

    def __init__(self, path: str):
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.version = self._read()

    def _read(self) -> int:
        return self.connection.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float, stop: threading.Event) -> None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if stop.wait(min(SQLITE_INTERVAL, left)):
                return
            version = self._read()
            if version != self.version:
                self.version = version
                return

    def close(self) -> None:
        self.connection.close()


def waiter_for(engine: sa.Engine, station: str | None) -> Waiter:
    if engine.dialect.name == "postgresql":
        return Notifications(engine.url, station)
    return ChangeCounter(engine.url.database or "")
