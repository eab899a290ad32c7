"""The path of a sale, from the checked body to the stored answer."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, Response, current_app
from sqlalchemy.exc import IntegrityError

from pos.auth.principal import Principal
from pos.extensions import db
from pos.idempotency.keys import fingerprint
from pos.sales.recording import idempotency
from pos.sales.recording.draft import prepare_sale
from pos.sales.recording.postgres import PostgresSaleWriter
from pos.sales.recording.sqlite import SqliteSaleWriter
from pos.sales.recording.writer import SaleWriter

_WRITER = "pos.sale_writer"


def choose_writer(app: Flask, engine: sa.Engine) -> None:
    """Choose how the app writes sales: by its database, once, when it starts."""
    if engine.dialect.name == "postgresql":
        writer: SaleWriter = PostgresSaleWriter()
    else:
        writer = SqliteSaleWriter(engine, app.config["POS_SQLITE_BUSY_TIMEOUT_MS"])
    app.extensions[_WRITER] = writer


def record_sale(
    principal: Principal, exhibitor_id: int, key: str, request_body: object, data: dict
) -> Response:
    """Record a sale (``data``, loaded by ``SaleInSchema``) under its Idempotency-Key: 201
    and the sale, or the answer already given to the key. ``request_body``: the JSON as
    sent, whose fingerprint tells a retry from another sale under the same key."""
    writer: SaleWriter = current_app.extensions[_WRITER]
    connection = db.session.connection()
    booth = writer.load_booth(connection, exhibitor_id, key)
    request_hash = fingerprint(request_body)
    replay = idempotency.replay(booth, request_hash)
    if replay is not None:
        return replay
    draft = prepare_sale(connection, booth, principal, data)
    try:
        text = writer.write(connection, draft, key, request_hash)
    except IntegrityError:
        # A retry with the same key was recorded since the look above (on SQLite, while
        # this one waited for the write lock): this sale is undone, the first answered.
        db.session.rollback()
        record = writer.look_up_key(db.session.connection(), exhibitor_id, key)
        replay = idempotency.replay(record, request_hash)
        if replay is None:
            raise
        return replay
    return idempotency.answer(text, 201)
