"""Booths recording sales over HTTP against ``pos serve``, against a bare Flask endpoint doing
the same writes into the same tables through the bare driver (served the same way) and the
bare driver alone, all in the same run; on SQLite, then PostgreSQL with several workers.

Two loads: as fast as 16 clients go (throughput), and 320 booths each recording a sale every
2 seconds (latency p50/p99). The load generator is Python threads with keep-alive HTTP
connections, on the same 2 cores as the server: it costs the same for every server measured.
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from bench import scratch_postgres

os.environ.setdefault("POS_SECRET_KEY", "bench")

BOOTHS = 320
CLIENTS = 16
BURST_SECONDS = 10
# Before either load, every server measured gets this long of the full-speed load, not
# counted: its workers started, connected and their statements compiled (steady state).
WARM_UP_SECONDS = 3
PACED_SECONDS = 20
PACE_SECONDS = 2.0


class Target:
    def __init__(self, port: int, path: str, headers, body):
        self.port, self.path, self.headers, self.body = port, path, headers, body


def _post(connection: http.client.HTTPConnection, target: Target, booth: int) -> float:
    headers = {
        **target.headers(booth),
        "Idempotency-Key": str(uuid.uuid4()),
        "Content-Type": "application/json",
    }
    started = time.perf_counter()
    connection.request("POST", target.path(booth), body=target.body(booth), headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 201:
        raise RuntimeError(f"{response.status} from {target.path(booth)}")
    return time.perf_counter() - started


def burst(target: Target, seconds: float = BURST_SECONDS) -> tuple[float, list[float]]:
    """As many sales as CLIENTS concurrent clients make in ``seconds``."""
    latencies, deadline = [], time.perf_counter() + seconds
    lock = threading.Lock()

    def client(number: int):
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        booth, mine = number, []
        while time.perf_counter() < deadline:
            mine.append(_post(connection, target, booth % BOOTHS + 1))
            booth += CLIENTS
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def paced(target: Target, seconds: float = PACED_SECONDS) -> list[float]:
    """Every booth records a sale every PACE_SECONDS (320 booths: 160 sales/s offered)."""
    return [latency for _, latency in paced_timed(target, seconds)]


def paced_timed(target: Target, seconds: float = PACED_SECONDS) -> list[tuple[float, float]]:
    """``paced``, each sale's latency with the moment (``perf_counter``) it was sent."""
    # The phones are 320 devices, not one Python process: what this process holds so far
    # is kept out of its collector's full passes, whose pauses would count as the server's.
    gc.collect()
    gc.freeze()
    latencies, lock = [], threading.Lock()
    start = time.perf_counter() + 0.5
    per_thread = BOOTHS // 32

    def worker(number: int):
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        booths = range(number * per_thread + 1, (number + 1) * per_thread + 1)
        # Booths are independent: each starts at its own moment (seeded, so every server
        # measured gets the same schedule), then sells every PACE_SECONDS.
        schedule = sorted(
            (start + random.Random(booth).uniform(0, PACE_SECONDS) + k * PACE_SECONDS, booth)
            for booth in booths
            for k in range(int(seconds / PACE_SECONDS))
        )
        mine = []
        for moment, booth in schedule:
            delay = moment - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            mine.append((time.perf_counter(), _post(connection, target, booth)))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _wait(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(port)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    import signal

    os.killpg(process.pid, signal.SIGTERM)
    process.wait(30)


def _report(label: str, rate: float, burst_latencies, paced_latencies) -> None:
    print(
        f"  {label}: {rate:.0f} sales/s at full speed (p50 "
        f"{_percentile(burst_latencies, 0.5):.0f} ms); 160 sales/s offered: p50 "
        f"{_percentile(paced_latencies, 0.5):.1f} ms, "
        f"p99 {_percentile(paced_latencies, 0.99):.1f} ms"
    )


def demo_booths(url: str, sales_per_day: int = 0) -> list[tuple[int, str, dict, str]]:
    """The demo fair's 320 booths (`pos demo`, with ``sales_per_day`` a booth in its
    history), a device token each, and the line each rings up: (exhibitor id, token, sale
    line, its price)."""
    from bench import migrate_quietly
    from pos import create_app
    from pos.catalogue.models import Product
    from pos.core.money import format_money
    from pos.demo.fair import build_fair
    from pos.devices.services import create_device
    from pos.exhibitors.models import Exhibitor
    from pos.extensions import db

    migrate_quietly(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    booths = []
    with app.app_context():
        event = build_fair(BOOTHS, sales_per_day=sales_per_day)
        exhibitors = db.session.scalars(
            sa.select(Exhibitor).where(Exhibitor.event_id == event.id).order_by(Exhibitor.id)
        )
        for exhibitor in exhibitors:
            product = db.session.scalars(
                sa.select(Product).where(Product.exhibitor_id == exhibitor.id).order_by(Product.id)
            ).first()
            token = create_device(exhibitor, "bench")["token"]
            line = {"product_id": product.id, "quantity": "1"}
            if product.open_price:  # a carpet's price is agreed at the stall
                line["unit_price"] = format_money(product.unit_price)
            booths.append((exhibitor.id, token, line, format_money(product.unit_price)))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # As autovacuum would have by the fair's opening: the planner knows the tables.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    return booths


def sale_bodies(booths) -> Callable[[int], str]:
    def sale(booth: int) -> str:
        _, _, line, price = booths[booth - 1]
        return json.dumps({"lines": [line], "payments": [{"method": "cash", "amount": price}]})

    return sale


def driver_url(url: str) -> str:
    """What the bare driver connects to: the SQLite file, or a libpq URL."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _load(command: list[str], env: dict, target: Target):
    """Serve with ``command``, warm it up, then both loads: (rate, burst latencies, paced
    latencies)."""
    server = _serve(command, env)
    try:
        _wait(target.port)
        burst(target, WARM_UP_SECONDS)
        rate, burst_latencies = burst(target)
        return rate, burst_latencies, paced(target)
    finally:
        _stop(server)


def _measure(label: str, pos_url: str, bare_url: str, workers: int, threads: int = 4) -> None:
    """``pos_url`` and ``bare_url``: two empty databases, each given the same demo fair."""
    print(f"== {label}, {workers} workers")
    booths = demo_booths(pos_url)
    pos_port = _free_port()
    ours_rate, ours_burst, ours_paced = _load(
        [
            sys.executable,
            "-m",
            "pos",
            "serve",
            "--port",
            str(pos_port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-print-worker",
        ],
        {"POS_DATABASE_URL": pos_url},
        Target(
            pos_port,
            lambda booth: f"/api/v1/exhibitors/{booths[booth - 1][0]}/sales",
            lambda booth: {"Authorization": f"Bearer {booths[booth - 1][1]}"},
            sale_bodies(booths),
        ),
    )

    bare_booths = demo_booths(bare_url)
    bare_port = _free_port()
    bare_command = [sys.executable, "-m", "bench.bare_app", driver_url(bare_url)]
    bare_rate, bare_burst, bare_paced = _load(
        [*bare_command, str(bare_port), str(workers)],
        {},
        Target(
            bare_port,
            lambda booth: f"/bare/sales/{bare_booths[booth - 1][0]}",
            lambda booth: {},
            sale_bodies(bare_booths),
        ),
    )

    driver_rate = driver_alone(driver_url(bare_url), bare_booths)
    _report("pos serve", ours_rate, ours_burst, ours_paced)
    _report("baseline, bare Flask endpoint", bare_rate, bare_burst, bare_paced)
    print(f"  baseline, bare driver alone: {driver_rate:.0f} sales/s")
    print(
        f"  ratio: pos serve makes {ours_rate / bare_rate:.2f} of the bare endpoint's "
        f"throughput (goal: at least 0.5); p99 at 160 sales/s "
        f"{_percentile(ours_paced, 0.99):.1f} ms (goal: at most 50 ms)"
    )


def driver_alone(url: str, booths, count: int = 2000) -> float:
    """The bare endpoint's statements, without HTTP or Flask: sales a second."""
    from bench import bare_app

    writer = bare_app.Writer(url)
    body = sale_bodies(booths)
    requests = [
        (booths[number % BOOTHS][0], body(number % BOOTHS + 1).encode(), str(uuid.uuid4()))
        for number in range(count)
    ]
    started = time.perf_counter()
    for exhibitor_id, raw, key in requests:
        writer.record(exhibitor_id, raw, key)
    return count / (time.perf_counter() - started)


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _measure(
            "SQLite",
            f"sqlite:///{Path(folder) / 'pos.db'}",
            f"sqlite:///{Path(folder) / 'bare.db'}",
            workers=2,
        )
    with scratch_postgres("pos_load", count=2) as urls:
        if urls:
            _measure("PostgreSQL", urls[0], urls[1], workers=4)
