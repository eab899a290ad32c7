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


def backup(database_url: str, target: Path) -> Path:
    url = sa.engine.make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        # The online backup API copies a consistent snapshot while tills keep selling.
        source = sqlite3.connect(url.database or ":memory:")
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            source.close()
            destination.close()
        return target
    if url.get_backend_name() == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupError("pg_dump is not installed (Debian: postgresql-client)")
        libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(
            [pg_dump, "--format=custom", "--file", str(target), libpq_url],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
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
        source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        destination = sqlite3.connect(url.database or ":memory:")
        try:
            with destination:
                source_db.backup(destination)
        finally:
            source_db.close()
            destination.close()
        return
    if url.get_backend_name() == "postgresql":
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            raise BackupError("pg_restore is not installed (Debian: postgresql-client)")
        libpq_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                libpq_url,
                str(source),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    raise BackupError(f"no restore for {url.get_backend_name()}")
