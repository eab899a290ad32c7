from __future__ import annotations

import os
import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext

from pos.auth.services import create_user
from pos.demo import fair, services
from pos.devices.services import create_device
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from pos.server import served_url


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has a fair already.")
@click.option("--small", is_flag=True, help="Five booths and no sales, instead of the full fair.")
@click.option("--exhibitors", default=320, show_default=True, type=click.IntRange(1, 2000))
@click.option(
    "--sales-per-day",
    default=None,
    type=click.IntRange(0, 1000),
    help="Sales of every booth on a weekday (by default each booth's own, calibrated on "
    "published fair figures).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Where pos serve will listen: the pairing link printed points there.",
)
@click.option("--port", default=5000, show_default=True, type=int)
def demo_command(if_empty, small, exhibitors, sales_per_day, host, port):
    """Load a demo fair, with a pairing code to sell from a phone at once."""
    if not os.environ.get("POS_PUBLIC_URL"):
        current_app.config["POS_PUBLIC_URL"] = served_url(host, port, https=False)
    if not services.database_is_empty():
        if if_empty:
            click.echo("the database has a fair already; demo not loaded")
            return
        raise click.ClickException("the database has a fair already; use an empty database")
    started = time.perf_counter()
    if small:
        event = services.load_small_demo()
    else:
        event = fair.build_fair(exhibitors, sales_per_day)
        create_user(
            services.DEMO_ORGANISER_EMAIL,
            services.DEMO_ORGANISER_PASSWORD,
            "organiser",
            organisation=services.DEMO_ORGANISATION,
        )
    folder = current_app.config["POS_PRINTER_FILE_ROOT"]
    services.connect_virtual_printers(event, folder)
    first = db.session.scalars(
        sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.booth)
    ).first()
    device = create_device(first, gettext("Demo phone"))
    db.session.commit()
    booths = db.session.scalar(sa.select(sa.func.count()).select_from(Exhibitor))
    click.echo(
        f"demo fair loaded in {time.perf_counter() - started:.0f} s: event {event.id}, "
        f"{event.name}, {booths} booths"
    )
    click.echo(f"organiser: {services.DEMO_ORGANISER_EMAIL} / {services.DEMO_ORGANISER_PASSWORD}")
    click.echo(
        f"sell for booth {first.booth}: open {device['pairing_url']} "
        f"(code {device['pairing_code']})"
    )
    click.echo(f"receipts print as PNG into {folder}/<booth>/")
