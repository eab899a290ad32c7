"""One SQLite writer at a time, handed over at once.

SQLite lets one transaction write at a time; the others wait in its busy
handler, which sleeps 1, 2, 5 ... up to 100 ms between tries. Under a fair's
load the lock then sits free while waiters sleep. Here writers queue on a
lock that wakes the next one as soon as the last commits: a ``threading``
lock between the threads of a process and an ``flock`` on a file beside the
database between processes (gunicorn workers, print workers, the CLI).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from sqlalchemy.exc import OperationalError


class WriterLock:
    def __init__(self, path: str, timeout: float):
        self.path, self.timeout = path, timeout
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    @classmethod
    def for_database(cls, database: str | None, timeout: float) -> WriterLock | None:
        """The lock of a database file; None for an in-memory database."""
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return cls(os.path.abspath(database) + "-writer.lock", timeout)

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise _locked()
        try:
            self._lock_file(deadline)
        except BaseException:
            self._threads.release()
            raise

    def _lock_file(self, deadline: float) -> None:
        """The file lock between processes, by ``deadline``: ``flock`` itself has no
        timeout, so it is tried without blocking, with short pauses (at most 2 ms: only
        one thread of a process ever waits here, the others wait on ``_threads``)."""
        fd, pause = self._file(), 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _locked() from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self) -> int:
        # One descriptor a process: a forked worker must not share its parent's lock.
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        assert self._fd is not None  # opened above in this process
        return self._fd


def _locked() -> OperationalError:
    # The same answer SQLite gives when its busy timeout runs out.
    return OperationalError("BEGIN IMMEDIATE", None, Exception("database is locked"))
