"""Report files (XLSX, PDF, CSV) rendered in a child process of lower priority.

Rendering the impact report of a busy fair is a few hundred milliseconds of Python. In a
server worker it would hold the interpreter's lock that whole time, and every sale that
worker serves meanwhile waits for it at each database call (tens of milliseconds a sale,
hundreds at the tail). In a child process it only shares the processors, and at a lower
priority than the tills. Each server worker keeps one such child per database, started at
its first export; with ``POS_REPORTS_IN_CHILD=0`` (tests) reports render in the request.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from flask import Flask, current_app

from pos.core.priority import lower_priority, yield_to_tills

_CHILDREN: dict[str, ProcessPoolExecutor] = {}
_CHILDREN_LOCK = threading.Lock()
_APP: Flask | None = None  # in the child: its own app on the same database


def render(job: Callable[..., bytes], *args) -> bytes:
    """``job(*args)`` run in an app context: in the child process, or here when reports
    are rendered in the request. ``job`` must be a module-level function (it is pickled)."""
    if not current_app.config["POS_REPORTS_IN_CHILD"]:
        return job(*args)
    return _child(current_app.config["SQLALCHEMY_DATABASE_URI"]).submit(_run, job, args).result()


def _child(database_url: str) -> ProcessPoolExecutor:
    with _CHILDREN_LOCK:
        child = _CHILDREN.get(database_url)
        if child is None:
            # "spawn": a fork of a threaded server worker could inherit a held lock.
            child = _CHILDREN[database_url] = ProcessPoolExecutor(
                max_workers=1,
                mp_context=get_context("spawn"),
                initializer=_start,
                initargs=(database_url,),
            )
            # The process is started from a thread of lower priority, whose nice value it
            # inherits (on Linux, a thread's own): its start, a second of imports, already
            # yields to the tills.
            starter = threading.Thread(target=_start_process, args=(child,))
            starter.start()
            starter.join()
        return child


def _start_process(child: ProcessPoolExecutor) -> None:
    lower_priority()
    child.submit(os.getpid)  # a first task: the pool starts its process in this thread


def _start(database_url: str) -> None:
    global _APP
    # Its own session, of the lowest weight: the server's session keeps its processors.
    yield_to_tills()
    from pos import create_app

    # It only reads: the server's workers checkpoint the WAL, not this process of low priority.
    _APP = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POS_REPORTS_IN_CHILD": False,
            "POS_SQLITE_CHECKPOINT_SECONDS": 0,
        }
    )


def _run(job: Callable[..., bytes], args: tuple) -> bytes:
    from pos.core.db import begin_organiser_read
    from pos.extensions import db

    assert _APP is not None, "the child's app is made when it starts (_start)"
    with _APP.app_context():
        try:
            begin_organiser_read(db.session)  # a report only reads: no writer lock, one snapshot
            return job(*args)
        finally:
            db.session.remove()
