from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from pos.printing import worker
from printers.emulator import STATES, PrinterEmulator


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


@click.command("printer-emulator")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9100, show_default=True, type=int)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder for the receipts' PNG and text. Write paper_out, cover_open, offline "
    "or ready into OUT/state to switch the printer's state while it runs.",
)
@click.option("--paper", type=click.Choice(["80", "58"]), default="80", show_default=True)
@click.option("--state", type=click.Choice(STATES), default="ready", show_default=True)
@click.option("--no-status", is_flag=True, help="Answer no status query, like some printers.")
def printer_emulator_command(host, port, out, paper, state, no_status):
    """A network receipt printer in software, saving each receipt as a PNG."""
    emulator = PrinterEmulator(
        host,
        port,
        out,
        paper_dots=576 if paper == "80" else 384,
        state=state,
        answers_status=not no_status,
    )
    click.echo(f"printer emulator on {host}:{emulator.port}, receipts in {out}")
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        emulator.stop()
