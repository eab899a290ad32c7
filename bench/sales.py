"""Recording a sale in-process (validation, ORM, idempotency record, commit) against
the bare sqlite3 driver writing the same rows with the same durability."""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("POS_SECRET_KEY", "bench")

SALES = 400


def _bare_driver(path: Path, template: Path) -> float:
    """Same inserts, one transaction and one fsync a sale, no validation, no ORM."""
    connection = sqlite3.connect(template.with_name("bare.db"), isolation_level=None)
    connection.executescript(path.read_text())
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    started = time.perf_counter()
    for n in range(1, SALES + 1):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE ledger SET last = last + 1")
        sale_id = connection.execute(
            "INSERT INTO sales (receipt, total, sold_at) VALUES (?, ?, datetime('now'))",
            (f"A01-{n:06d}", 12500),
        ).lastrowid
        connection.execute(
            "INSERT INTO lines (sale_id, product_id, quantity, total) VALUES (?, 1, 500, 12500)",
            (sale_id,),
        )
        connection.execute(
            "INSERT INTO payments (sale_id, method, amount) VALUES (?, 'cash', 12500)", (sale_id,)
        )
        connection.execute(
            "INSERT INTO keys (key, sale_id, body) VALUES (?, ?, ?)",
            (str(uuid.uuid4()), sale_id, "{}" * 200),
        )
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


_BARE_SCHEMA = """
CREATE TABLE ledger (last INTEGER); INSERT INTO ledger VALUES (0);
CREATE TABLE sales (id INTEGER PRIMARY KEY, receipt TEXT, total INTEGER, sold_at TEXT);
CREATE TABLE lines (id INTEGER PRIMARY KEY, sale_id INTEGER, product_id INTEGER,
                    quantity INTEGER, total INTEGER);
CREATE TABLE payments (id INTEGER PRIMARY KEY, sale_id INTEGER, method TEXT, amount INTEGER);
CREATE TABLE keys (id INTEGER PRIMARY KEY, key TEXT UNIQUE, sale_id INTEGER, body TEXT);
"""


def run() -> None:
    from pos import create_app
    from tests.support import build_fair, migrate_to_head, post_sale, simple_sale

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        url = f"sqlite:///{folder / 'pos.db'}"
        migrate_to_head(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        fair = build_fair(app)
        client = app.test_client()
        body = simple_sale(
            fair.a.products["honey"], quantity="0.500", amount="125.00", method="cash"
        )
        latencies = []
        started = time.perf_counter()
        for _ in range(SALES):
            t0 = time.perf_counter()
            response = post_sale(client, fair.a.token, fair.a.id, body)
            latencies.append(time.perf_counter() - t0)
            assert response.status_code == 201
        ours = time.perf_counter() - started
        schema = folder / "bare.sql"
        schema.write_text(_BARE_SCHEMA)
        bare = _bare_driver(schema, folder / "bare.db")
    print(
        f"record a sale, in-process, SQLite: {SALES / ours:.0f} sales/s "
        f"(p50 {statistics.median(latencies) * 1000:.1f} ms)"
    )
    print(f"baseline, bare sqlite3 driver, same rows and fsyncs: {SALES / bare:.0f} sales/s")
    print(f"ratio: ours takes {ours / bare:.1f}x the baseline's time a sale")
