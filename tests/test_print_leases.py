"""Print workers on several hosts of one database: leases on the database's clock, a
fenced finish, a worker killed or stalled while it prints. Each receipt is printed once.

The hosts are ``pos print-worker`` processes; a host whose clock runs ahead runs under
libfaketime (Debian's libfaketime, installed by ``.ci/run``).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from pos.extensions import db
from pos.printing import queue
from pos.printing.models import PrintJob
from pos.sales.models import Sale
from printers.emulator import PrinterEmulator
from tests.conftest import skip_or_fail
from tests.livesupport import POS
from tests.printing_support import put_printer
from tests.support import post_sale, simple_sale

on_postgresql = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
# Debian's path, under the machine's architecture.
FAKETIME = next(
    iter(Path("/usr/lib").glob("*/faketime/libfaketime.so.1")),
    Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
)
NUMBER = re.compile(r"A01-\d{6}")


def _set_printer(client, fair, port: int) -> None:
    response = put_printer(client, fair.organiser_token, fair.a.id, f"tcp://127.0.0.1:{port}")
    assert response.status_code == 200, response.json


def _worker(database_url: str, log: Path, *, lease: int = 30, ahead: str | None = None):
    env = {
        **os.environ,
        "POS_DATABASE_URL": database_url,
        "POS_PRINT_LEASE_SECONDS": str(lease),
    }
    if ahead:
        env.update(
            LD_PRELOAD=str(FAKETIME),
            FAKETIME=ahead,
            # Only the wall clock is wrong, as on a machine without a clock battery.
            FAKETIME_DONT_FAKE_MONOTONIC="1",
            FAKETIME_DONT_RESET="1",
        )
    with log.open("ab") as out:  # the child has its own copy
        return subprocess.Popen(
            [POS, "print-worker", "--poll", "0.5"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(*workers) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _printed_numbers(printer: PrinterEmulator) -> Counter:
    return Counter(
        match
        for receipt in printer.printed
        for match in NUMBER.findall("\n".join(receipt.text_lines))
    )


def _sell(client, fair, count: int) -> list[str]:
    pot = fair.a.products["pot"]
    numbers = []
    for _ in range(count):
        response = post_sale(client, fair.a.token, fair.a.id, simple_sale(pot))
        assert response.status_code == 201, response.json
        numbers.append(response.json["receipt_number"])
    return numbers


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def _statuses(app) -> Counter:
    with app.app_context():
        return Counter(db.session.scalars(sa.select(PrintJob.status)))


@on_postgresql
def test_a_host_whose_clock_is_two_minutes_ahead_prints_no_receipt_twice(
    app, client, fair, database_url, tmp_path
):
    if not FAKETIME.exists():
        skip_or_fail(f"no libfaketime at {FAKETIME} (Debian package libfaketime)")
    ahead = subprocess.run(
        [sys.executable, "-c", "import time; print(time.time())"],
        env={**os.environ, "LD_PRELOAD": str(FAKETIME), "FAKETIME": "+2m"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(ahead.stdout) - time.time() > 110  # the host's clock is really ahead

    # A printer that takes a quarter second to answer each round of status queries.
    printer = PrinterEmulator(port=0, status_delay=0.25).start()
    _set_printer(client, fair, printer.port)
    host_a = _worker(database_url, tmp_path / "a.log")
    host_b = _worker(database_url, tmp_path / "b.log", ahead="+2m")
    try:
        numbers = _sell(client, fair, 90)
        _wait_until(
            lambda: _statuses(app)["printed"] == 90,
            120,
            f"90 receipts printed ({_statuses(app)})",
        )
        time.sleep(1)  # anything printed twice would show now
    finally:
        _stop(host_a, host_b)
        printer.stop()
    assert _printed_numbers(printer) == Counter(numbers)  # each receipt once
    with app.app_context():
        holders = set(db.session.scalars(sa.select(PrintJob.claimed_by)))
    assert len({holder.split(":")[1] for holder in holders}) == 2  # both hosts printed


@on_postgresql
def test_a_worker_killed_while_printing_leaves_nothing_unprinted(
    app, client, fair, database_url, tmp_path
):
    printer = PrinterEmulator(port=0, status_delay=0.2).start()
    _set_printer(client, fair, printer.port)
    doomed = _worker(database_url, tmp_path / "doomed.log", lease=3)
    survivor = _worker(database_url, tmp_path / "survivor.log", lease=3)
    try:
        numbers = _sell(client, fair, 30)
        _wait_until(lambda: len(printer.printed) >= 5, 30, "printing under way")
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
        _wait_until(lambda: _statuses(app)["printed"] == 30, 60, "every receipt printed")
        time.sleep(1)
    finally:
        _stop(doomed, survivor)
        printer.stop()
    printed = _printed_numbers(printer)
    assert set(printed) == set(numbers)
    # At most the one receipt in the dead worker's hands printed again, and marked a copy.
    assert sum(printed.values()) - len(numbers) <= 1
    twice = [number for number, times in printed.items() if times > 1]
    with app.app_context():
        kinds = dict(
            db.session.execute(
                sa.select(Sale.receipt_number, PrintJob.kind).join(
                    PrintJob, PrintJob.sale_id == Sale.id
                )
            ).all()
        )
    assert all(kinds[number] == "copy" for number in twice), (twice, kinds)


@on_postgresql
def test_a_worker_stalled_past_its_lease_prints_nothing_when_it_wakes(
    app, client, fair, database_url, tmp_path
):
    # Each round of status queries takes 1.5 s: the worker is caught waiting for one.
    printer = PrinterEmulator(port=0, status_delay=1.5).start()
    _set_printer(client, fair, printer.port)
    stalled = _worker(database_url, tmp_path / "stalled.log", lease=2)
    other = None
    try:
        [number] = _sell(client, fair, 1)
        _wait_until(lambda: printer.connections == 1, 10, "the first worker at the printer")
        os.kill(stalled.pid, signal.SIGSTOP)
        time.sleep(2.5)  # its lease runs out
        other = _worker(database_url, tmp_path / "other.log", lease=2)
        _wait_until(lambda: _statuses(app)["printed"] == 1, 20, "the other worker printed")
        with app.app_context():
            job = db.session.scalar(sa.select(PrintJob))
            taken_by = job.claimed_by
        os.kill(stalled.pid, signal.SIGCONT)
        time.sleep(4)  # it reads the status it was waiting for, and would send now
        with app.app_context():
            job = db.session.scalar(sa.select(PrintJob))
            assert (job.status, job.claimed_by) == ("printed", taken_by)
    finally:
        _stop(*(worker for worker in (stalled, other) if worker is not None))
        printer.stop()
    assert _printed_numbers(printer) == Counter([number])
    assert "taken over by another worker, not sent" in (tmp_path / "stalled.log").read_text()


def test_a_late_finish_changes_nothing_and_a_lost_lease_cannot_be_renewed(app, client, fair):
    """The fence itself, on both databases: the first holder's lease runs out, another
    takes the job; whatever the first says afterwards is refused."""
    _set_printer(client, fair, 9)
    _sell(client, fair, 1)
    lease = timedelta(seconds=30)
    with app.app_context():
        first = queue.claim("host-a", lease=lease)
        assert first is not None and queue.claim("host-b", lease=lease) is None  # held
        db.session.execute(
            sa.update(PrintJob).values(lease_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
        second = queue.claim("host-b", lease=lease)
        assert second is not None and second.job_id == first.job_id
        assert second.attempts == 2 and second.token != first.token
        # The first may have printed it before it stopped: it prints again as a copy.
        assert db.session.get_one(PrintJob, second.job_id).kind == "copy"

        assert not queue.renew(first, lease)
        assert not queue.finish(first, "failed_retrying", "late", None)
        assert queue.finish(second, "printed", "", b"bytes")
        assert not queue.finish(first, "printed", "", None)
        job = db.session.scalar(sa.select(PrintJob))
        assert (job.status, job.claimed_by, job.data) == ("printed", "host-b", b"bytes")


def test_leases_and_backoff_are_on_the_databases_clock(app, client, fair, backend):
    """A worker's own clock plays no part: the claim's and the finish's moments come from
    the database (its ``now()`` on PostgreSQL)."""
    _set_printer(client, fair, 9)
    _sell(client, fair, 1)
    with app.app_context():
        claim = queue.claim("host", lease=timedelta(seconds=30))
        assert claim is not None
        database_now = queue.read_database_now()
        job = db.session.get_one(PrintJob, claim.job_id)
        assert abs(job.lease_expires_at - (database_now + timedelta(seconds=30))) < timedelta(
            seconds=5
        )
        assert queue.finish(claim, "failed_retrying", "cannot reach", None)
        db.session.expire_all()
        job = db.session.get_one(PrintJob, claim.job_id)
        # The first retry 2 s later, by the database's clock.
        assert timedelta(0) < job.next_attempt_at - database_now < timedelta(seconds=7)
        assert job.lease_expires_at is None
