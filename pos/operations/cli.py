"""The platform's shared settings from the command line."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

import config
from pos.core import shared
from pos.extensions import db


@click.group("secret-key")
def secret_key_cli():
    """The key that signs page sessions and forms."""


@secret_key_cli.command("rotate")
@with_appcontext
def rotate_command():
    """A new signing key; sessions signed with the old one stay open as long as a session
    lasts (14 days). On PostgreSQL every host takes it within a minute."""
    given = os.environ.get("POS_SECRET_KEY")
    if shared.in_database(db.engine):
        shared.rotate_signing_key(db.engine, given)
        if given:
            click.echo("recorded POS_SECRET_KEY as the key every host must be given")
        else:
            click.echo("rotated the key every host shares; the old one stays valid 14 days")
        return
    if given:
        raise click.ClickException("POS_SECRET_KEY is set: change it in the environment")
    instance = Path(current_app.instance_path)
    config.write_secret_key(instance, current_app.config["SECRET_KEY"], "secret_key.previous")
    config.write_secret_key(instance, secrets.token_urlsafe(48))
    click.echo("rotated the key in the instance folder; restart the server to use it")


@click.command("public-url")
@click.argument("url", required=False)
@with_appcontext
def public_url_command(url):
    """Show the address on receipts, pairing cards and QR codes, or set the one every host
    of this PostgreSQL database uses (POS_PUBLIC_URL, when given, wins on a host)."""
    if url is None:
        click.echo(current_app.config["POS_PUBLIC_URL"])
        return
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("an address such as https://pos.example.ma", param_hint="URL")
    if not shared.in_database(db.engine):
        raise click.ClickException("one host, one address: set POS_PUBLIC_URL instead")
    with db.engine.begin() as connection:
        shared.put(connection, shared.PUBLIC_URL, url.rstrip("/"))
    click.echo(f"every host now links to {url.rstrip('/')} (restart them to take it)")
