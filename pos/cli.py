"""The ``pos`` command: Flask's CLI group (db, routes, shell) plus the project's own."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from pos import create_app


@click.group(cls=FlaskGroup, create_app=create_app)
def cli():
    """Tadamon POS."""


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--certfile",
    type=click.Path(exists=True, dir_okay=False),
    help="Serve HTTPS with this certificate (PEM).",
)
@click.option(
    "--keyfile",
    type=click.Path(exists=True, dir_okay=False),
    help="The certificate's private key (PEM).",
)
@click.option(
    "--https",
    is_flag=True,
    help="Serve HTTPS with the fair's own certificate authority, made once in the instance "
    "folder (phones install it from /ca).",
)
@click.option(
    "--print-worker/--no-print-worker",
    default=True,
    show_default=True,
    help="Also run a print worker delivering receipts.",
)
@click.option(
    "--station",
    default=None,
    help="The print station this host is: its print worker prints only for the booths "
    "whose printer names it (default: those whose printer names none).",
)
def serve_command(host, port, workers, threads, certfile, keyfile, https, print_worker, station):
    """Run the production server (gunicorn), with a print worker beside it."""
    from flask import current_app

    from pos.extensions import db
    from pos.server import serve, served_addresses
    from pos.trust.authority import ensure_certificates, machine_names
    from pos.trust.shared import share_authority
    from pos.trust.views import tls_folder

    problem = current_app.config.get("POS_SHARED_STATE_PROBLEM")
    if problem:
        raise click.ClickException(problem)

    if bool(certfile) != bool(keyfile):
        raise click.UsageError("--certfile and --keyfile go together")
    if https and certfile:
        raise click.UsageError("--https makes its own certificate: leave out --certfile")
    if https:
        folder = tls_folder()  # in the instance folder (the command runs in the app's context)
        if share_authority(folder, db.engine):
            click.echo("the fair's authority is the one the hosts of this database share")
        files = ensure_certificates(folder, machine_names(), served_addresses(host))
        certfile, keyfile = str(files.certificate), str(files.key)
        click.echo(f"HTTPS with the fair's authority: phones install it from /ca ({folder})")
    serve(
        host, port, workers, threads, certfile, keyfile, print_worker=print_worker, station=station
    )


if __name__ == "__main__":
    cli()
