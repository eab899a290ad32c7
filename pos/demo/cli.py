from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from pos.demo import services
from pos.devices.services import create_device
from pos.exhibitors.models import Exhibitor
from pos.extensions import db


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has a fair already.")
def demo_command(if_empty):
    """Load a demo fair, with a pairing code to sell from a phone at once."""
    if not services.database_is_empty():
        if if_empty:
            click.echo("the database has a fair already; demo not loaded")
            return
        raise click.ClickException("the database has a fair already; use an empty database")
    event = services.load_small_demo()
    folder = current_app.config["POS_PRINTER_FILE_ROOT"]
    services.connect_virtual_printers(event, folder)
    first = db.session.scalars(
        sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
    ).first()
    device = create_device(first, "Téléphone démo")
    db.session.commit()
    click.echo(f"demo fair loaded: event {event.id}, {event.name}")
    click.echo(f"organiser: {services.DEMO_ORGANISER_EMAIL} / {services.DEMO_ORGANISER_PASSWORD}")
    click.echo(
        f"sell for booth {first.booth}: open {device['pairing_url']} "
        f"(code {device['pairing_code']})"
    )
    click.echo(f"receipts print as PNG into {folder}/<booth>/")
