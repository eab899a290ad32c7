"""Sales at the fair's pace while the organiser works: 320 booths each recording a sale
every 2 seconds against ``pos serve``, first alone (the baseline), then while ``pos verify``
checks every chain and the impact report is exported again and again, on a fair that has
already sold for days. Neither may hold the tills up: a read never takes the writer lock.

A third figure is the machine's own: the tills while busy loops that touch nothing run at
the organiser's priority (``yield_to_tills``), one a processor: what sharing the processors
costs the tills by itself, whatever the work that keeps them busy.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import scratch_postgres
from bench.load import (
    Target,
    _free_port,
    _percentile,
    _serve,
    _stop,
    _wait,
    demo_booths,
    paced,
    paced_timed,
    sale_bodies,
)

SALES_PER_DAY = 60  # a busy fair's history: ~60,000 sales for verify and the report to read


def _organiser_token(url: str) -> str:
    from pos import create_app
    from pos.auth.services import create_user
    from pos.auth.tokens import issue_token
    from pos.core.db import utcnow
    from pos.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        user = create_user(
            f"bench-{uuid.uuid4().hex[:6]}@example.ma", "bench-password", "organiser"
        )
        token, _ = issue_token(
            role="organiser", user_id=user.id, expires_at=utcnow() + timedelta(hours=2)
        )
        event_id = db.session.scalar(sa.text("SELECT max(id) FROM events"))
        db.session.commit()
        db.engine.dispose()
    return token, event_id


class OrganiserAtWork:
    """``pos verify``, and the impact report exported as XLSX, each once (``once``) or each
    in a loop until stopped, both starting ``delay`` seconds in; counts what finished and
    what failed, and when the work began and ended (``perf_counter``)."""

    def __init__(self, url: str, port: int, token: str, event_id: int, *, once: bool, delay=2.0):
        self.url, self.port, self.token, self.event_id = url, port, token, event_id
        self.once, self.delay = once, delay
        self.stop = threading.Event()
        self.verified = self.exported = 0
        self.began = self.ended = None
        self.failures: list[str] = []
        self.threads = [
            threading.Thread(target=self._verify),
            threading.Thread(target=self._export),
        ]

    def _rounds(self):
        if self.stop.wait(self.delay):
            return
        self.began = self.began or time.perf_counter()
        while not self.stop.is_set():
            yield
            self.ended = time.perf_counter()
            if self.once:
                return

    def _verify(self) -> None:
        env = {**os.environ, "POS_DATABASE_URL": self.url}
        for _ in self._rounds():
            done = subprocess.run(
                [sys.executable, "-m", "pos", "verify"], env=env, capture_output=True
            )
            if done.returncode:
                self.failures.append(f"verify exit {done.returncode}: {done.stdout[-200:]!r}")
            self.verified += 1

    def _export(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        path = f"/api/v1/events/{self.event_id}/reports/impact?format=xlsx"
        for _ in self._rounds():
            connection.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                self.failures.append(f"export {response.status}")
            self.exported += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


# A loop that only counts, in a session of its own at the lowest priority, as verify and the
# report child run.
_BUSY_LOOP = (
    "from pos.core.priority import yield_to_tills\n"
    "yield_to_tills()\n"
    "count = 0\n"
    "while True:\n"
    "    count += 1\n"
)


def _processors() -> int:
    """The processors this process may run on (in a container, fewer than the machine's)."""
    return len(os.sched_getaffinity(0))


class BusyLoops:
    """One ``_BUSY_LOOP`` a processor, for as long as the ``with`` lasts."""

    def __enter__(self):
        self.loops = [
            subprocess.Popen([sys.executable, "-c", _BUSY_LOOP]) for _ in range(_processors())
        ]
        time.sleep(1)  # past their imports: measured while they only count
        return self

    def __exit__(self, *exc):
        for loop in self.loops:
            loop.kill()
            loop.wait()


def _measure(label: str, url: str, workers: int) -> None:
    print(f"== {label}, {workers} workers")
    started = time.perf_counter()
    booths = demo_booths(url, sales_per_day=SALES_PER_DAY)
    token, event_id = _organiser_token(url)
    print(f"  the fair's history generated in {time.perf_counter() - started:.0f} s")
    port = _free_port()
    server = _serve(
        [
            sys.executable,
            "-m",
            "pos",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-print-worker",
        ],
        {"POS_DATABASE_URL": url},
    )
    target = Target(
        port,
        lambda booth: f"/api/v1/exhibitors/{booths[booth - 1][0]}/sales",
        lambda booth: {"Authorization": f"Bearer {booths[booth - 1][1]}"},
        sale_bodies(booths),
    )
    try:
        _wait(port)
        # Warm-up, not measured: each worker thread's first requests open its connections
        # and load what the first sale needs; the fair has been open for hours.
        paced(target, seconds=6)
        quiet = paced(target)
        with BusyLoops():
            shared = paced(target)
        with OrganiserAtWork(url, port, token, event_id, once=True) as once:
            timed = paced_timed(target)
        with OrganiserAtWork(url, port, token, event_id, once=False) as looping:
            busy = paced(target)
    finally:
        _stop(server)
    # The sales sent while the one verify and the one export ran.
    during = [latency for moment, latency in timed if once.began <= moment <= once.ended]
    quiet_p99 = _percentile(quiet, 0.99)
    print(f"  baseline, tills alone: p50 {_percentile(quiet, 0.5):.1f} ms, p99 {quiet_p99:.1f} ms")
    print(
        f"  the machine's own cost, while {_processors()} busy loops ran at the organiser's "
        f"priority: p50 {_percentile(shared, 0.5):.1f} ms, p99 {_percentile(shared, 0.99):.1f} ms "
        f"({_percentile(shared, 0.99) / quiet_p99:.2f}x the tills alone)"
    )
    for label, latencies, organiser in (
        (
            f"while one pos verify and one impact XLSX export ran ({len(during)} sales, "
            f"{once.ended - once.began:.1f} s)",
            during,
            once,
        ),
        (
            f"while pos verify ran {looping.verified} times and the impact XLSX was exported "
            f"{looping.exported} times, back to back",
            busy,
            looping,
        ),
    ):
        p99 = _percentile(latencies, 0.99)
        print(f"  {label}: p50 {_percentile(latencies, 0.5):.1f} ms, p99 {p99:.1f} ms")
        print(
            f"    ratio: p99 {p99 / quiet_p99:.2f}x the tills alone (goal: at most 2x, and at "
            f"most 50 ms); the organiser's runs that failed: {len(organiser.failures)}"
        )
        for failure in organiser.failures[:5]:
            print(f"      {failure}")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _measure("SQLite", f"sqlite:///{Path(folder) / 'pos.db'}", workers=2)
    with scratch_postgres("pos_busy") as urls:
        if urls:
            _measure("PostgreSQL", urls[0], workers=4)
