from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from pos.closings import services
from pos.core.errors import Problem
from pos.core.messages import translate
from pos.core.money import format_money, parse_money
from pos.events.models import Event
from pos.exhibitors.models import Exhibitor
from pos.extensions import db


@click.command("close-day")
@click.option("--event", "event_id", type=int, required=True)
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--exhibitor", "exhibitor_id", type=int, help="One booth only (default: all).")
@click.option("--cash-counted", help="Cash counted in that booth's drawer, e.g. 1250.00.")
@with_appcontext
def close_day_command(event_id, day, exhibitor_id, cash_counted):
    """Close a fair day (Z) for one booth or for every booth still open."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id}")
    try:
        if exhibitor_id is None:
            if cash_counted:
                raise click.UsageError("--cash-counted needs --exhibitor")
            closings = services.close_event_day(event, day.date())
        else:
            exhibitor = db.session.get(Exhibitor, exhibitor_id)
            if exhibitor is None or exhibitor.event_id != event.id:
                raise click.ClickException(f"no exhibitor {exhibitor_id} at event {event_id}")
            counted = None if cash_counted is None else parse_money(cash_counted)
            closings = [services.close_day(exhibitor, day.date(), counted)]
    except Problem as error:
        with force_locale("en"):  # the command line speaks English
            raise click.ClickException(translate(error.detail)) from error
    except ValueError as error:
        raise click.ClickException(f"--cash-counted: not an amount: {cash_counted}") from error
    db.session.commit()
    for closing in closings:
        click.echo(
            f"closed exhibitor {closing.exhibitor_id} Z#{closing.number} "
            f"{closing.business_date}: net {format_money(closing.net)} MAD, "
            f"{closing.sales_count} sales, grand total {format_money(closing.grand_total)}"
        )
    click.echo(f"{len(closings)} closing(s)")
