"""Sale to printed: the moment a sale is answered 201 to the moment a healthy network
printer (the emulator, over TCP) has its receipt, with the print worker woken by the
sale's commit, against the same worker looking at the queue every half second (how it
worked before), measured in the same run on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("POS_SECRET_KEY", "bench")
os.environ.setdefault("POS_PRINTER_NETWORKS", "127.0.0.0/8")

SALES = 40
POLL_SECONDS = 0.5


class Polling:
    """The baseline: no wake-up, a look every ``POLL_SECONDS``."""

    def wait(self, timeout: float, stop: threading.Event) -> None:
        stop.wait(POLL_SECONDS)

    def close(self) -> None:
        pass


def _sale_to_printed(url: str, woken: bool) -> list[float]:
    from bench import migrate_quietly
    from pos import create_app
    from pos.receipts import worker
    from printers.emulator import PrinterEmulator
    from tests.printing_support import put_printer
    from tests.support import build_fair, post_sale, simple_sale

    migrate_quietly(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    fair = build_fair(app)
    client = app.test_client()
    printer = PrinterEmulator(port=0).start()
    put_printer(client, fair.organiser_token, fair.a.id, f"tcp://127.0.0.1:{printer.port}")
    stop = threading.Event()
    options = {} if woken else {"waiter": Polling()}
    thread = threading.Thread(target=worker.run, args=(app,), kwargs={"stop": stop, **options})
    thread.start()
    seconds = []
    try:
        time.sleep(0.5)
        for _ in range(SALES):
            time.sleep(random.uniform(0.05, 0.3))  # a sale comes at any moment of a poll
            before = len(printer.printed)
            response = post_sale(
                client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])
            )
            answered = time.perf_counter()
            assert response.status_code == 201, response.json
            while len(printer.printed) == before and time.perf_counter() - answered < 10:
                time.sleep(0.002)
            seconds.append(time.perf_counter() - answered)
    finally:
        stop.set()
        thread.join()
        printer.stop()
        with app.app_context():
            from pos.extensions import db

            db.engine.dispose()
    return seconds


def _figures(seconds: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(seconds, n=20)
    return statistics.median(seconds) * 1000, cuts[18] * 1000


def run() -> None:
    from bench import scratch_postgres

    with tempfile.TemporaryDirectory() as folder, scratch_postgres("bench_print", 2) as pg:
        databases = [("SQLite", [f"sqlite:///{Path(folder) / f'{n}.db'}" for n in ("a", "b")])]
        if pg:
            databases.append(("PostgreSQL", pg))
        for name, (woken_url, polled_url) in databases:
            p50, p95 = _figures(_sale_to_printed(woken_url, woken=True))
            base50, base95 = _figures(_sale_to_printed(polled_url, woken=False))
            print(
                f"sale -> printed, {name}, worker woken by the commit: "
                f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
            )
            print(
                f"baseline, the same worker looking every {POLL_SECONDS} s: "
                f"p50 {base50:.0f} ms, p95 {base95:.0f} ms"
            )
            print(f"ratio: p95 {p95 / base95:.2f} of the baseline's (goal: p95 <= 250 ms)")
