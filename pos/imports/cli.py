from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from pos.events.models import Event
from pos.extensions import db
from pos.imports.services import import_rows
from pos.imports.spreadsheet import SpreadsheetError, parse

import_cli = AppGroup("import", help="Import a fair's data from spreadsheets.")


@import_cli.command("exhibitors")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event", "event_id", type=int, required=True)
def import_exhibitors_command(file: Path, event_id: int):
    """Import exhibitors and their products from a CSV or XLSX file.

    Each rejected row is reported with its spreadsheet row number (the header
    is row 1); the others are imported. Exit status 1 when any row was rejected.
    """
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id}")
    try:
        rows = parse(file.name, file.read_bytes())
    except SpreadsheetError as error:
        raise click.ClickException(f"{file}: {error}") from error
    with click.progressbar(length=len(rows), label="importing", file=None) as bar:
        report = import_rows(event, rows, progress=lambda _row: bar.update(1))
    db.session.commit()
    for row in report.rejected:
        click.echo(f"row {row.number}: {'; '.join(row.errors)}", err=True)
    click.echo(
        f"{report.created} exhibitor(s) created, {report.updated} updated, "
        f"{report.products} product(s), {len(report.rejected)} row(s) rejected"
    )
    raise SystemExit(0 if report.ok else 1)
