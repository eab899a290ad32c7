"""The baseline for the load benchmark: a bare Flask endpoint (no validation, no ORM) that
makes the same inserts as recording a sale, through the bare driver, with the same
durability (SQLite WAL + synchronous=FULL, or PostgreSQL's default commit), served by the
same gunicorn settings. Run as ``python -m bench.bare_app URL PORT WORKERS``."""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import uuid

from flask import Flask, request
from gunicorn.app.base import BaseApplication

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger (exhibitor_id INTEGER PRIMARY KEY, last INTEGER);
CREATE TABLE IF NOT EXISTS sales (id {pk}, exhibitor_id INTEGER,
    receipt TEXT, total BIGINT, sold_at TEXT);
CREATE TABLE IF NOT EXISTS lines (id {pk}, sale_id INTEGER,
    product_id INTEGER, quantity BIGINT, total BIGINT);
CREATE TABLE IF NOT EXISTS payments (id {pk}, sale_id INTEGER,
    method TEXT, amount BIGINT);
CREATE TABLE IF NOT EXISTS keys (id {pk}, exhibitor_id INTEGER,
    key TEXT, body TEXT, UNIQUE (exhibitor_id, key));
"""


def create_app(url: str) -> Flask:
    app = Flask(__name__)
    local = threading.local()
    postgres = url.startswith("postgresql")

    def connection():
        if not hasattr(local, "connection"):
            if postgres:
                import psycopg

                local.connection = psycopg.connect(url)
            else:
                local.connection = sqlite3.connect(url, isolation_level=None, timeout=30)
                local.connection.execute("PRAGMA journal_mode=WAL")
                local.connection.execute("PRAGMA synchronous=FULL")
        return local.connection

    mark = "%s" if postgres else "?"

    @app.post("/bare/sales/<int:exhibitor_id>")
    def record(exhibitor_id: int):
        body = json.loads(request.get_data())
        db = connection()
        cursor = db.cursor()
        cursor.execute("BEGIN" if postgres else "BEGIN IMMEDIATE")
        cursor.execute(
            f"UPDATE ledger SET last = last + 1 WHERE exhibitor_id = {mark} RETURNING last",
            (exhibitor_id,),
        )
        number = cursor.fetchone()[0]
        total = sum(int(float(line["quantity"]) * 13000) for line in body["lines"])
        cursor.execute(
            f"INSERT INTO sales (exhibitor_id, receipt, total, sold_at) VALUES "
            f"({mark}, {mark}, {mark}, CURRENT_TIMESTAMP) RETURNING id",
            (exhibitor_id, f"B-{number:06d}", total),
        )
        sale_id = cursor.fetchone()[0]
        for line in body["lines"]:
            cursor.execute(
                f"INSERT INTO lines (sale_id, product_id, quantity, total) VALUES "
                f"({mark}, {mark}, {mark}, {mark})",
                (sale_id, line["product_id"], 1000, total),
            )
        cursor.execute(
            f"INSERT INTO payments (sale_id, method, amount) VALUES ({mark}, {mark}, {mark})",
            (sale_id, body["payments"][0]["method"], total),
        )
        answer = json.dumps({"id": sale_id, "receipt_number": f"B-{number:06d}"})
        cursor.execute(
            f"INSERT INTO keys (exhibitor_id, key, body) VALUES ({mark}, {mark}, {mark})",
            (exhibitor_id, request.headers.get("Idempotency-Key", str(uuid.uuid4())), answer),
        )
        cursor.execute("COMMIT")
        return answer, 201, {"Content-Type": "application/json"}

    return app


def prepare(url: str, exhibitors: int) -> None:
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            for statement in SCHEMA.format(pk="BIGSERIAL PRIMARY KEY").split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(
                "INSERT INTO ledger SELECT g, 0 FROM generate_series(1, %s) g", (exhibitors,)
            )
        return
    db = sqlite3.connect(url)
    db.executescript(SCHEMA.format(pk="INTEGER PRIMARY KEY"))
    db.executemany("INSERT INTO ledger VALUES (?, 0)", [(n,) for n in range(1, exhibitors + 1)])
    db.commit()
    db.close()


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
