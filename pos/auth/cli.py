from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from pos.auth import services
from pos.auth.models import ROLES, Organisation
from pos.extensions import db

users_cli = AppGroup("users", help="Manage sign-in accounts.")


@users_cli.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--exhibitor", "exhibitor_id", type=int, help="The exhibitor of a cashier.")
@click.option(
    "--organisation",
    default=None,
    help="An organiser's organisation, made on first use (unsaid: the platform's only one).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_user(email, role, exhibitor_id, organisation, password_stdin):
    """Create a user who signs in with EMAIL."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, password, role, exhibitor_id, organisation)
    except services.UserError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    found = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    within = f" of organisation {found.name!r}" if found else ""
    click.echo(f"created {user.role} {user.email}{within} (id {user.id})")
