"""What every host of one PostgreSQL database must share, kept in it: the key that signs
page sessions and CSRF tokens, the fair's HTTPS authority, the platform's public address.

A value is made by the first host that needs it (``INSERT … ON CONFLICT DO NOTHING``, then
read back: two hosts starting at once end up with the same). On SQLite, one host serves the
fair and the instance folder keeps them as before.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import UTCDateTime, utcnow
from pos.extensions import Model, db

SECRET_KEY = "secret_key"
PREVIOUS_SECRET_KEY = "secret_key.previous"
SECRET_KEY_FINGERPRINT = "secret_key.fingerprint"  # of a POS_SECRET_KEY the hosts are given
PUBLIC_URL = "public_url"
REFRESH_SECONDS = 60  # how soon a running host takes a rotated key


class SharedValue(Model):
    __tablename__ = "shared_values"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def in_database(engine: sa.Engine) -> bool:
    """Whether this database keeps the shared values (PostgreSQL, migrated)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as connection:
        return sa.inspect(connection).has_table(SharedValue.__tablename__)


def read(connection: sa.Connection, name: str) -> sa.Row | None:
    """The stored ``value`` and when it was stored (``created_at``), or None."""
    return connection.execute(
        sa.select(SharedValue.value, SharedValue.created_at).where(SharedValue.name == name)
    ).first()


def get_or_make(connection: sa.Connection, name: str, make: Callable[[], str]) -> str:
    """The shared value ``name``; the first host to ask stores what ``make`` gives."""
    connection.execute(
        insert(SharedValue)
        .values(name=name, value=make(), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["name"])
    )
    found = read(connection, name)
    assert found is not None
    return found.value


def put(connection: sa.Connection, name: str, value: str) -> None:
    connection.execute(
        insert(SharedValue)
        .values(name=name, value=value, created_at=utcnow())
        .on_conflict_do_update(
            index_elements=["name"], set_={"value": value, "created_at": utcnow()}
        )
    )


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _signing_keys(connection: sa.Connection, session_lifetime: timedelta) -> tuple[str, list[str]]:
    """The current key, and the previous one while sessions it signed may still be open."""
    current = get_or_make(connection, SECRET_KEY, lambda: secrets.token_urlsafe(48))
    previous = read(connection, PREVIOUS_SECRET_KEY)
    if previous is None or previous.created_at + session_lifetime < utcnow():
        return current, []
    return current, [previous.value]


def configure(app: Flask, given_secret_key: str | None, given_public_url: str | None) -> None:
    """Take the shared values from the database (PostgreSQL): the signing keys unless the
    environment gives one (then every host must give the same: checked by fingerprint), the
    public address unless the environment gives one."""
    if not in_database(db.engine):
        return
    app.config["POS_SHARED_STATE"] = True
    lifetime = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    with db.engine.begin() as connection:
        if given_secret_key:
            stored = get_or_make(
                connection, SECRET_KEY_FINGERPRINT, lambda: fingerprint(given_secret_key)
            )
            if stored != fingerprint(given_secret_key):
                app.config["POS_SHARED_STATE_PROBLEM"] = (
                    "POS_SECRET_KEY is not the one the other hosts of this database were "
                    "given: give every host the same, or unset it everywhere and let the hosts "
                    "share the database's key (after giving every host a new one on purpose, "
                    "`pos secret-key rotate` records it)"
                )
        else:
            app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = _signing_keys(
                connection, lifetime
            )
        if not given_public_url and (url := read(connection, PUBLIC_URL)) is not None:
            app.config["POS_PUBLIC_URL"] = url.value
    if not given_secret_key:
        app.config["POS_SHARED_KEYS_READ_AT"] = time.monotonic()
        app.before_request(_refresh_signing_keys)


def _refresh_signing_keys() -> None:
    """A running host takes a key rotated elsewhere within a minute (its sessions keep
    working meanwhile: the old key stays a fallback)."""
    app = current_app
    if time.monotonic() - app.config["POS_SHARED_KEYS_READ_AT"] < REFRESH_SECONDS:
        return
    app.config["POS_SHARED_KEYS_READ_AT"] = time.monotonic()
    lifetime = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    with db.engine.begin() as connection:
        app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = _signing_keys(
            connection, lifetime
        )


def rotate_signing_key(engine: sa.Engine, given_secret_key: str | None) -> None:
    """A new signing key for every host, the old one valid as long as a session; with a key
    given in the environment, that key is recorded as the one every host must be given."""
    with engine.begin() as connection:
        if given_secret_key:
            put(connection, SECRET_KEY_FINGERPRINT, fingerprint(given_secret_key))
            return
        current = get_or_make(connection, SECRET_KEY, lambda: secrets.token_urlsafe(48))
        put(connection, PREVIOUS_SECRET_KEY, current)
        put(connection, SECRET_KEY, secrets.token_urlsafe(48))
