from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from pos.receipts import worker


@click.command("print-worker")
@click.option(
    "--station",
    default=None,
    help="The print station this worker serves: the booths whose printer names it "
    "(default: those whose printer names none).",
)
@click.option(
    "--poll",
    default=2.0,
    show_default=True,
    help="Seconds between looks at the queue when nothing wakes the worker (a committed job "
    "does, at once).",
)
@click.option("--once", is_flag=True, help="Deliver what is due, then stop.")
@with_appcontext
def print_worker_command(station, poll, once):
    """Deliver queued receipts to the booths' printers (several may run at once, on one
    station or several)."""
    app = current_app._get_current_object()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    handled = worker.run(app, station=station, poll_seconds=poll, stop=stop, once=once)
    click.echo(f"print worker stopped after {handled} job(s)")
