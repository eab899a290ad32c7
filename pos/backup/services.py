"""Backups while the fair runs: SQLite's online backup, pg_dump for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    pass


def default_target(folder: Path, dialect: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return folder / f"pos-{stamp}.{'sqlite3' if dialect == 'sqlite' else 'dump'}"


def _copy_sqlite(source: str, destination: str) -> None:
    """SQLite's online backup API: a consistent snapshot while tills keep selling."""
    reading, writing = sqlite3.connect(source, uri=True), sqlite3.connect(destination)
    try:
        with writing:
            reading.backup(writing)
    finally:
        reading.close()
        writing.close()


def _run_pg_tool(tool: str, url: sa.engine.URL, *args: str) -> None:
    """pg_dump or pg_restore on the database at ``url``; BackupError with what it said."""
    found = shutil.which(tool)
    if found is None:
        raise BackupError(f"{tool} is not installed (Debian: postgresql-client)")
    libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run([found, *args, libpq_url], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def backup(database_url: str, target: Path) -> Path:
    url = sa.engine.make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(url.database or ":memory:", str(target))
        return target
    if url.get_backend_name() == "postgresql":
        _run_pg_tool("pg_dump", url, "--format=custom", "--file", str(target))
        return target
    raise BackupError(f"no backup for {url.get_backend_name()}")


def restore(source: Path, database_url: str) -> None:
    """A backup into an empty database: the fair's books as they were when it was taken.
    A database that already holds tables is refused, so a restore never mixes two fairs."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    url = sa.engine.make_url(database_url)
    engine = sa.create_engine(url)
    try:
        tables = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            f"the database already holds {len(tables)} tables: restore into an empty one"
        )
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(f"file:{source}?mode=ro", url.database or ":memory:")
        return
    if url.get_backend_name() == "postgresql":
        _run_pg_tool(
            "pg_restore",
            url,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            str(source),
            "--dbname",
        )
        return
    raise BackupError(f"no restore for {url.get_backend_name()}")
