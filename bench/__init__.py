"""Benchmarks for ``make bench``: each figure is printed beside a baseline measured
in the same run, since these machines are shared and their speed varies."""

import contextlib
import os
import statistics
import time


def median_seconds(function, rounds: int = 3) -> float:
    """The median time of ``rounds`` calls of ``function``: one slow call (the machine is
    shared) does not make the figure."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def migrate_quietly(url: str) -> None:
    """The app's schema on an empty database, without the migrations' progress lines (once
    per database: not a figure)."""
    import logging

    from tests.support import migrate_to_head

    logging.disable(logging.INFO)
    try:
        migrate_to_head(url)
    finally:
        logging.disable(logging.NOTSET)


@contextlib.contextmanager
def scratch_postgres(prefix: str, count: int = 1):
    """``count`` new empty PostgreSQL databases for one benchmark, dropped afterwards: their
    URLs, or None when PostgreSQL is not reachable (its figures are then skipped)."""
    import uuid

    import sqlalchemy as sa

    admin_url = os.environ.get(
        "POS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = [f"{prefix}_{uuid.uuid4().hex[:8]}" for _ in range(count)]
    try:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError:
        print("PostgreSQL not reachable: PostgreSQL figures skipped")
        admin.dispose()
        yield None
        return
    base = sa.engine.make_url(admin_url)
    try:
        yield [base.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
