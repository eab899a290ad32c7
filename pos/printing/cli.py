from __future__ import annotations

import click

from printers.emulator import STATES, PrinterEmulator


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
