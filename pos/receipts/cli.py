from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from pos.receipts import worker


@click.command("print-worker")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between looks at the queue.")
@click.option("--once", is_flag=True, help="Deliver what is due, then stop.")
@with_appcontext
def print_worker_command(poll, once):
    """Deliver queued receipts to the booths' printers (several may run at once)."""
    app = current_app._get_current_object()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    handled = worker.run(app, poll_seconds=poll, stop=stop, once=once)
    click.echo(f"print worker stopped after {handled} job(s)")
