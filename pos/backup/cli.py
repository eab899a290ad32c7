from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from pos.backup.services import BackupError, backup, default_target, restore
from pos.extensions import db


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(),
    help="The backup file, or a folder to write pos-<time>.sqlite3 or .dump in (default: "
    "POS_BACKUP_DIR, else instance/backups): a mounted disk or share off this host.",
)
@with_appcontext
def backup_command(out: str | None):
    """Back up the database while the fair runs (SQLite online backup, or pg_dump)."""
    folder = current_app.config["POS_BACKUP_DIR"] or Path(current_app.instance_path) / "backups"
    if out is not None and (out.endswith("/") or Path(out).is_dir()):
        folder, out = out, None  # a folder: a timestamped file in it
    target = Path(out) if out else default_target(Path(folder), db.engine.dialect.name)
    try:
        written = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {written} ({written.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(source: Path):
    """Restore a backup of ``pos backup`` into the configured database, which must be empty;
    then ``pos verify`` checks its hash chains."""
    try:
        restore(source, current_app.config["SQLALCHEMY_DATABASE_URI"])
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {source} into the database")
