"""Declarative base, constraint naming and engine settings shared by every feature."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps
from typing import TYPE_CHECKING, ClassVar

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from pos.core import sqlite_checkpoint
from pos.core.sqlite_writer import WriterLock

# Stable constraint names keep Alembic's autogenerate and batch mode predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        # Every model here is mapped to a Table (SQLAlchemy types it as any FromClause).
        __table__: ClassVar[sa.Table]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on both databases (SQLite keeps no offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_sqlite(engine: Engine, busy_timeout_ms: int, checkpoint_seconds: float = 0) -> None:
    """WAL, full fsync, foreign keys, and write transactions that take the lock up front.

    pysqlite's own transaction handling is switched off so that a request that
    will write starts with BEGIN IMMEDIATE: concurrent writers then queue
    instead of failing when a read transaction tries to upgrade. They queue on
    a ``WriterLock`` first (see ``pos.core.sqlite_writer``): SQLite's own busy
    handler polls with sleeps of up to 100 ms, which wastes most of the time a
    busy booth has. GET requests and connections with the ``read_only`` execution
    option (report queries run beside the request, ``begin_reading``) begin plain read
    transactions, connections with the ``writing`` option (a journal entry written apart
    from a read request) write transactions,
    and ``reads_first`` views read without one until ``start_writing``: none of
    them takes that lock.
    """
    writer_lock = WriterLock.for_database(engine.url.database, busy_timeout_ms / 1000)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record):
        record.info["writer_lock"] = writer_lock
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged sale survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if checkpoint_seconds > 0:
            # Checkpoints in a thread of their own, not in the commit of a sale.
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
            sqlite_checkpoint.start(engine.url.database, checkpoint_seconds)
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.info["writing"] = False
        options = connection.get_execution_options()
        if options.get("writing"):
            _begin_immediate(connection)  # a write apart from a read request (the journal)
        elif options.get("read_only") or (
            has_request_context() and request.method in _READ_ONLY_METHODS
        ):
            connection.exec_driver_sql("BEGIN")
        elif has_request_context() and g.get("reads_first", False):
            pass  # each read is its own transaction until start_writing
        else:
            _begin_immediate(connection)

    @sa.event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        # Back in the pool: the transaction is over (committed or rolled back).
        record.info["writing"] = False
        if record.info.pop("holds_writer_lock", False):
            writer_lock.release()


def _begin_immediate(connection) -> None:
    writer_lock = connection.info.get("writer_lock")
    if writer_lock is not None and not connection.info.get("holds_writer_lock"):
        writer_lock.acquire()
        connection.info["holds_writer_lock"] = True
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.info["writing"] = True


def reads_first(view):
    """For a hot write path: on SQLite the request reads without a transaction, each
    statement on its own, until the service calls ``start_writing``, so other booths'
    writes go on meanwhile. Nothing may be written before ``start_writing``."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.reads_first = True
        return view(*args, **kwargs)

    return wrapper


def begin_reading(session) -> None:
    """Make the session's transaction a read of one consistent snapshot that holds up no
    till: on SQLite a plain read transaction (no writer lock), on PostgreSQL REPEATABLE READ
    (every statement sees the same moment, as ``pos verify`` needs while tills sell). Call it
    before the session's first statement."""
    options: dict = {"read_only": True}
    if session.get_bind().dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    session.connection(execution_options=options)


def begin_organiser_read(session) -> None:
    """``begin_reading`` for an organiser's read of the whole fair (a report, ``pos
    verify``), which on PostgreSQL keeps to one process of the database
    (``one_process_in_database``). A receipt's few rows need no such statement."""
    begin_reading(session)
    one_process_in_database(session.connection())


# An organiser's read (a report, pos verify) runs in PostgreSQL's own processes, at the
# tills' priority, which no nice value of ours reaches: it keeps to the one process serving
# it, without parallel workers, and skips JIT compiling (the planner overrates these
# aggregates: 150 ms of compiling to save nothing). One statement: no extra round trip.
_ONE_PROCESS = (
    "SELECT set_config('max_parallel_workers_per_gather', '0', true),"
    " set_config('jit', 'off', true)"
)


def one_process_in_database(connection: sa.Connection) -> None:
    """For this transaction, on PostgreSQL: what ``_ONE_PROCESS`` says. Nothing on SQLite,
    whose reads run in the process that asked (at its priority)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_ONE_PROCESS)


def start_writing(session) -> None:
    """Take the write lock now. On SQLite a write transaction begins: anything read before
    may have changed since (read again what must be exact, under the lock). On PostgreSQL
    row locks do this job: nothing to do."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.info.get("writing"):
        _begin_immediate(connection)


def limit_statement_time() -> None:
    """On PostgreSQL, bound every statement of this transaction (an organiser's read) to
    ``POS_DB_STATEMENT_TIMEOUT_SECONDS``; SQLite has no such setting."""
    from flask import current_app

    from pos.extensions import db

    session = db.session
    if session.get_bind().dialect.name != "postgresql":
        return
    seconds = int(current_app.config["POS_DB_STATEMENT_TIMEOUT_SECONDS"])
    session.execute(sa.text(f"SET LOCAL statement_timeout = '{seconds}s'"))
