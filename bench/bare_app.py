"""The baseline for the load benchmark: a bare Flask endpoint (no validation, no ORM) that
makes the same writes as recording a sale (the booth's ledger row, the sale, its line, its
payment, the Idempotency-Key's record) into the same tables, built by the same migrations,
through the bare driver, with the same durability (SQLite WAL + synchronous=FULL and
foreign keys, or PostgreSQL's default commit), served by the same gunicorn settings.
Run as ``python -m bench.bare_app URL PORT WORKERS``; the database holds the demo fair.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import sys
import threading
from datetime import UTC, datetime
from decimal import Decimal

from flask import Flask, request
from gunicorn.app.base import BaseApplication

ADVANCE = """UPDATE exhibitor_ledgers SET last_receipt_number = last_receipt_number + 1,
    last_chain_seq = last_chain_seq + 1, last_hash = {m} WHERE exhibitor_id = {m}
    RETURNING last_receipt_number, last_chain_seq"""
INSERT_SALE = """INSERT INTO sales (public_id, event_id, exhibitor_id, receipt_seq,
    receipt_number, total, sold_at, recorded_at, local_date, user_id, device_id, period_date,
    late, chain_seq, prev_hash, hash)
    VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m}, {m}, {m}, NULL, NULL, {m}, {m}, {m}, {m}, {m})
    RETURNING id"""
INSERT_LINE = """INSERT INTO sale_lines (sale_id, position, product_id, name, name_ar, unit,
    quantity, unit_price, discount, line_total)
    VALUES ({m}, 0, {m}, 'Pot de miel 500 g', 'برطمان عسل 500 غ', 'piece', 1000, {m}, 0, {m})"""
INSERT_PAYMENT = """INSERT INTO payments (sale_id, position, method, amount, tendered, change)
    VALUES ({m}, 0, {m}, {m}, NULL, 0)"""
INSERT_KEY = """INSERT INTO idempotency_records (exhibitor_id, key, request_hash, sale_id,
    response_status, response_body, created_at) VALUES ({m}, {m}, {m}, {m}, 201, {m}, {m})"""


class Writer:
    """The statements of one sale, on one connection a thread, through the bare driver."""

    def __init__(self, url: str):
        self.url = url
        self.postgres = url.startswith("postgresql")
        mark = "%s" if self.postgres else "?"
        self.advance, self.insert_sale, self.insert_line, self.insert_payment, self.insert_key = (
            statement.format(m=mark)
            for statement in (ADVANCE, INSERT_SALE, INSERT_LINE, INSERT_PAYMENT, INSERT_KEY)
        )
        self.local = threading.local()
        # Read once: which fair each booth is in (a sale itself looks nothing up).
        startup = self.connect()
        self.event_of = dict(startup.execute("SELECT id, event_id FROM exhibitors").fetchall())
        startup.close()

    def connect(self):
        if self.postgres:
            import psycopg

            return psycopg.connect(self.url)
        connection = sqlite3.connect(self.url, isolation_level=None, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    def _stamp(self, moment: datetime):
        # SQLite keeps the text the app's UTC columns write; PostgreSQL takes the datetime.
        return moment if self.postgres else moment.replace(tzinfo=None).isoformat(" ")

    def record(self, exhibitor_id: int, raw: bytes, key: str) -> str:
        if not hasattr(self.local, "connection"):
            self.local.connection = self.connect()
        body = json.loads(raw)
        now = datetime.now(UTC)
        today = now.date() if self.postgres else now.date().isoformat()
        amount = int(Decimal(body["payments"][0]["amount"]) * 100)
        new_hash = hashlib.sha256(raw).hexdigest()
        cursor = self.local.connection.cursor()
        cursor.execute("BEGIN" if self.postgres else "BEGIN IMMEDIATE")
        cursor.execute(self.advance, (new_hash, exhibitor_id))
        number, seq = cursor.fetchone()
        receipt = f"B-{number:06d}"
        cursor.execute(
            self.insert_sale,
            (
                secrets.token_hex(16),
                self.event_of[exhibitor_id],
                exhibitor_id,
                number,
                receipt,
                amount,
                self._stamp(now),
                self._stamp(now),
                today,
                today,
                False,
                seq,
                "0" * 64,
                new_hash,
            ),
        )
        sale_id = cursor.fetchone()[0]
        for line in body["lines"]:
            cursor.execute(self.insert_line, (sale_id, line["product_id"], amount, amount))
        cursor.execute(self.insert_payment, (sale_id, body["payments"][0]["method"], amount))
        answer = json.dumps({"id": sale_id, "receipt_number": receipt})
        cursor.execute(
            self.insert_key, (exhibitor_id, key, new_hash, sale_id, answer, self._stamp(now))
        )
        cursor.execute("COMMIT")
        return answer


def create_app(url: str) -> Flask:
    app = Flask(__name__)
    writer = Writer(url)

    @app.post("/bare/sales/<int:exhibitor_id>")
    def record(exhibitor_id: int):
        answer = writer.record(exhibitor_id, request.get_data(), request.headers["Idempotency-Key"])
        return answer, 201, {"Content-Type": "application/json"}

    return app


class Server(BaseApplication):
    def __init__(self, url: str, port: int, workers: int):
        self.url, self.port, self.workers = url, port, workers
        super().__init__()

    def load_config(self):
        for name, value in {
            "bind": f"127.0.0.1:{self.port}",
            "workers": self.workers,
            "worker_class": "gthread",
            "threads": 4,
            "accesslog": "-",
            "control_socket_disable": True,
        }.items():
            self.cfg.set(name, value)

    def load(self):
        return create_app(self.url)


if __name__ == "__main__":
    Server(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])).run()
