"""Group commit on SQLite: the writes that one process's requests are ready to make at the
same moment go into one transaction, with one commit.

SQLite writes one transaction at a time, and each commit waits for the disk (fsync). Under a
fair's load the write lock, not the processor, bounds how many sales a second are recorded,
and each hand-over of the lock costs a wake-up and the waiter's turn for the interpreter.
Here a request ready to write joins its process's queue; the first in line (the leader)
takes the write lock on its own session's connection, writes every request queued by then,
commits once and hands the lead on to the next in line. No request is answered before the
commit that holds its rows: what was answered survives a crash as before.

A request's writes must only use the connection they are given (they may run on another
request's thread). If the shared transaction fails, it is rolled back and each of its
requests is written again alone, so that one request's failure (a twin Idempotency-Key)
stays that request's own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pos.core.db import start_writing

Writes = Callable[[Connection], Any]
_UNFINISHED = object()


class _Queued:
    __slots__ = ("done", "error", "lead", "result", "writes")

    def __init__(self, writes: Writes):
        self.writes = writes
        self.done = threading.Event()
        self.lead = False  # set with ``done`` when this request is to lead the next group
        self.result: Any = _UNFINISHED
        self.error: BaseException | None = None


class GroupCommit:
    """The write queue of one SQLite database in one process."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._queue: list[_Queued] = []
        self._leading = False

    def write(self, session: Session, writes: Writes, timeout: float) -> Any:
        """Run ``writes(connection)`` in a committed write transaction, shared with the
        requests queued beside it; what it returned. ``session``: the calling request's,
        with nothing written yet; it leads on it, and it is committed if it does.
        ``timeout``: how long it may wait in the queue before the database counts as
        locked (as SQLite's busy timeout); once taken into a group it waits for the group."""
        queued = _Queued(writes)
        with self._mutex:
            self._queue.append(queued)
            lead, self._leading = not self._leading, True
        if not lead and not queued.done.wait(timeout):
            self._leave(queued)
        if lead or queued.lead:
            self._lead(session)
        if queued.error is not None:
            raise queued.error
        return queued.result

    def _leave(self, queued: _Queued) -> None:
        """Out of the queue after its timeout, unless it was taken into a group or handed
        the lead meanwhile (both set ``done`` under the mutex)."""
        with self._mutex:
            if queued in self._queue and not queued.done.is_set():
                self._queue.remove(queued)
                raise OperationalError("group commit", None, Exception("database is locked"))
        queued.done.wait()  # in a group being written: its leader finishes it

    def queued(self) -> int:
        """Requests waiting to be written (tests watch a group form)."""
        with self._mutex:
            return len(self._queue)

    def _take(self) -> list[_Queued]:
        with self._mutex:
            group, self._queue = self._queue, []
        return group

    def _lead(self, session: Session) -> None:
        group: list[_Queued] = []
        try:
            start_writing(session)
            # Taken once the lock is held: those who queued while it was awaited come too.
            group = self._take()
            connection = session.connection()
            results = [queued.writes(connection) for queued in group]
            session.commit()
            for queued, result in zip(group, results, strict=True):
                queued.result = result
        except Exception as error:
            session.rollback()
            if not group:  # the write lock was never had: nothing was tried
                group = self._take()
                for queued in group:
                    queued.error = error
            elif len(group) == 1:
                group[0].error = error
            else:
                for queued in group:
                    self._write_alone(session, queued)
        except BaseException as error:  # the worker is stopping: nobody is left waiting
            session.rollback()
            group = group or self._take()
            for queued in group:
                queued.error = error
            raise
        finally:
            self._hand_on(group)

    @staticmethod
    def _write_alone(session: Session, queued: _Queued) -> None:
        try:
            start_writing(session)
            queued.result = queued.writes(session.connection())
            session.commit()
        except Exception as error:
            session.rollback()
            queued.error = error

    def _hand_on(self, group: list[_Queued]) -> None:
        with self._mutex:
            for queued in group:
                if queued.result is _UNFINISHED and queued.error is None:
                    # Even undoing failed: never let a request answer as if written.
                    queued.error = RuntimeError("the shared write transaction did not finish")
                queued.done.set()
            if self._queue:
                following = self._queue[0]
                following.lead = True
                following.done.set()
            else:
                self._leading = False


_GROUPS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_GROUPS_MUTEX = threading.Lock()


def group_of(engine: Engine) -> GroupCommit:
    """The write queue of ``engine``'s database in this process."""
    with _GROUPS_MUTEX:
        group = _GROUPS.get(engine)
        if group is None:
            group = _GROUPS[engine] = GroupCommit()
        return group
