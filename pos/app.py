"""Tadamon POS: the Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

import config
from pos.core import messages, shared
from pos.core.db import configure_sqlite
from pos.core.errors import (
    Problem,
    handle_unexpected,
    problem_from_domain,
    problem_from_http_exception,
    problem_response,
)
from pos.core.i18n import select_locale
from pos.core.requests import (
    IdConverter,
    JSONProvider,
    apply_body_limit,
    refuse_control_characters,
)
from pos.extensions import api, babel, csrf, db, migrate

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class App(Flask):
    json_provider_class = JSONProvider


def create_app(test_config: dict | None = None) -> Flask:
    # The instance folder holds the SQLite file, the secret key and the HTTPS authority.
    app = App(
        __name__,
        instance_path=os.environ.get("POS_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    app.url_map.converters["int"] = IdConverter
    app.config.from_mapping(config.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    with app.app_context():
        # On PostgreSQL, what every host shares: the signing key, the public address.
        shared.configure(
            app,
            os.environ.get("POS_SECRET_KEY"),
            os.environ.get("POS_PUBLIC_URL") or (test_config or {}).get("POS_PUBLIC_URL"),
        )
    api.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    _register_fields()
    _register_blueprints()
    _register_pages(app)
    _register_error_handlers(app)
    _register_commands(app)
    app.before_request(apply_body_limit)
    app.before_request(refuse_control_characters)
    app.teardown_request(_finish_transaction)
    app.after_request(_commit_on_success)

    from pos.sales.recording.services import choose_writer

    with app.app_context():
        choose_writer(app, db.engine)
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(
                db.engine,
                app.config["POS_SQLITE_BUSY_TIMEOUT_MS"],
                app.config["POS_SQLITE_CHECKPOINT_SECONDS"],
            )
    messages.loaded()  # every module is imported: its messages are known by their text
    return app


def _register_fields() -> None:
    from flask_smorest.spec.plugins import integerconverter2paramschema

    from pos.core.fields import Money, Quantity

    api.register_field(Money, "string", "decimal")
    api.register_field(Quantity, "string", "decimal")
    api.register_converter(IdConverter, integerconverter2paramschema)


def _register_blueprints() -> None:
    from pos.auth.views import blp as auth
    from pos.catalogue.views import blp as catalogue
    from pos.certificates.views import blp as certificates
    from pos.closings.views import blp as closings
    from pos.contacts.views import blp as contacts
    from pos.devices.views import blp as devices
    from pos.events.views import blp as events
    from pos.exhibitors.views import blp as exhibitors
    from pos.members.views import blp as members
    from pos.orders.views import blp as orders
    from pos.printing.views import blp as printing
    from pos.receipts.api import blp as receipts
    from pos.reports.views import blp as reports
    from pos.sales.views import blp as sales
    from pos.stock.views import blp as stock

    for blueprint in (
        auth,
        events,
        exhibitors,
        catalogue,
        devices,
        members,
        printing,
        receipts,
        reports,
        sales,
        closings,
        certificates,
        orders,
        contacts,
        stock,
    ):
        api.register_blueprint(blueprint)
        # The API authenticates with bearer tokens, never cookies: no CSRF to guard against.
        csrf.exempt(blueprint)


def _register_pages(app: Flask) -> None:
    from pos.certificates.pages import blp as certificate_pages
    from pos.core import labels, messages
    from pos.dashboard.views import blp as dashboard
    from pos.operations import requests
    from pos.operations.views import blp as operations
    from pos.receipts.views import blp as receipts
    from pos.setup.views import blp as setup
    from pos.till.views import blp as till
    from pos.trust.views import blp as trust

    app.jinja_env.globals["labels"] = labels  # the one source of the lists' words and numbers
    app.jinja_env.filters["translate"] = messages.translate  # a service's N_ message
    app.jinja_env.filters["field_in_words"] = messages.field_in_words  # "lines.2.quantity"
    app.register_blueprint(receipts)
    app.register_blueprint(till)
    app.register_blueprint(dashboard)
    app.register_blueprint(setup)
    app.register_blueprint(trust)
    app.register_blueprint(certificate_pages)
    app.register_blueprint(operations)
    csrf.exempt(operations)
    requests.init_app(app)


def _register_commands(app: Flask) -> None:
    from pos.auth.cli import users_cli
    from pos.backup.cli import backup_command, restore_command
    from pos.closings.cli import close_day_command
    from pos.demo.cli import demo_command
    from pos.drill.cli import drill_command
    from pos.imports.cli import import_cli
    from pos.integrity.cli import verify_command
    from pos.operations.cli import public_url_command, secret_key_cli
    from pos.printing.cli import printer_emulator_command
    from pos.receipts.cli import print_worker_command

    for command in (
        users_cli,
        demo_command,
        verify_command,
        close_day_command,
        print_worker_command,
        printer_emulator_command,
        import_cli,
        backup_command,
        restore_command,
        drill_command,
        secret_key_cli,
        public_url_command,
    ):
        app.cli.add_command(command)


def _register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, problem_from_http_exception)
    app.register_error_handler(Problem, problem_from_domain)

    @app.errorhandler(IntegrityError)
    def _conflict(error):
        # A constraint caught what a concurrent request changed under us.
        db.session.rollback()
        app.logger.warning("integrity conflict: %s", error.orig)
        return problem_response(409, "A concurrent change conflicted with this one; retry.")

    @app.errorhandler(OperationalError)
    def _unavailable(error):
        db.session.rollback()
        app.logger.error("database unavailable: %s", error.orig)
        return problem_response(
            503, "The database is busy or unavailable; retry.", headers={"Retry-After": "2"}
        )

    app.register_error_handler(Exception, handle_unexpected)


def _commit_on_success(response):
    """The one commit of a request: only when it succeeded. Services only flush. What the
    commit raises (a locked database, a constraint) is answered by the same handlers as an
    error in the view: 503 with Retry-After, 409, never a bare 500."""
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def _finish_transaction(error):
    if error is not None:
        db.session.rollback()
