"""Reads never need the writer lock, and every wait for it has a deadline.

SQLite lets one transaction write at a time. A report exported while tills sell, or
``pos verify`` over the whole fair, must not wait for that lock nor hold it; a writer that
cannot have it within the busy timeout answers 503 with Retry-After, never hangs and never
answers a bare 500.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import OperationalError

from pos import create_app
from pos.core.group_commit import GroupCommit
from pos.core.sqlite_writer import WriterLock
from pos.extensions import db
from tests.support import auth, post_sale, simple_sale

on_sqlite = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_reports_export_while_tills_sell(app, fair):
    """Two tills sell without pause while the organiser exports the impact report and a
    cashier its statement: every export answers 200 and is journaled."""
    stop, sold, failed = threading.Event(), [], []

    def sell(booth, product):
        client = app.test_client()
        while not stop.is_set():
            response = post_sale(
                client,
                booth.token,
                booth.id,
                simple_sale(
                    product, amount="130.00" if product == fair.a.products["pot"] else "380.00"
                ),
            )
            (sold if response.status_code == 201 else failed).append(response.status_code)

    tills = [
        threading.Thread(target=sell, args=(fair.a, fair.a.products["pot"])),
        threading.Thread(target=sell, args=(fair.b, fair.b.products["teapot"])),
    ]
    for till in tills:
        till.start()
    client, answers = app.test_client(), []
    try:
        for round_ in range(6):
            for path, token in (
                (f"/api/v1/events/{fair.event_id}/reports/impact?format=csv", fair.organiser_token),
                (f"/api/v1/exhibitors/{fair.a.id}/statement?format=pdf", fair.a.token),
                (
                    f"/api/v1/events/{fair.event_id}/reports/impact?format=xlsx",
                    fair.organiser_token,
                ),
            ):
                answers.append((round_, path, client.get(path, headers=auth(token)).status_code))
    finally:
        stop.set()
        for till in tills:
            till.join(60)
    assert [a for a in answers if a[2] != 200] == []
    assert failed == [] and len(sold) > 0
    journal = client.get(
        f"/api/v1/events/{fair.event_id}/journal?kind=report.exported&limit=100",
        headers=auth(fair.organiser_token),
    ).get_json()
    assert journal["total"] == len(answers)


@on_sqlite
def test_pos_verify_holds_no_lock_that_tills_wait_for(database_url, fair, monkeypatch):
    """While ``pos verify`` reads the whole fair, a till's sale is recorded at once."""
    from pos.integrity import cli

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POS_SQLITE_BUSY_TIMEOUT_MS": 500,
        }
    )
    during = {}
    real_verify = cli.verify_all

    def verify_with_a_sale_meanwhile():
        report = real_verify()  # its read transaction is still open
        thread = threading.Thread(
            target=lambda: during.update(
                sale=post_sale(
                    app.test_client(), fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])
                ).status_code
            )
        )
        thread.start()
        thread.join(10)
        return report

    monkeypatch.setattr(cli, "verify_all", verify_with_a_sale_meanwhile)
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert during["sale"] == 201
    with app.app_context():
        db.engine.dispose()


def test_the_writer_lock_between_processes_has_a_deadline(tmp_path):
    """Another process holding the lock (a second file descriptor stands in for it): the
    wait ends with "database is locked" once the busy timeout has passed."""
    database = str(tmp_path / "pos.db")
    holder = WriterLock.for_database(database, timeout=5)
    waiter = WriterLock.for_database(database, timeout=0.3)
    holder.acquire()
    outcome = {}

    def wait():
        try:
            waiter.acquire()
            outcome["got"] = True
        except OperationalError as error:
            outcome["error"] = error

    thread = threading.Thread(target=wait)
    thread.start()
    thread.join(5)
    still_waiting = thread.is_alive()
    holder.release()
    thread.join(5)
    assert not still_waiting, "the wait for another process's lock has no deadline"
    assert "database is locked" in str(outcome.get("error"))
    waiter.acquire()  # free now: had at once
    waiter.release()


class _SlowSession:
    """A session whose write transaction lasts until ``release`` is set."""

    def __init__(self, release: threading.Event):
        self.release = release

    def connection(self):
        return SimpleNamespace(dialect=SimpleNamespace(name="none"), info={})

    def commit(self):
        self.release.wait(10)

    def rollback(self):
        pass


def test_a_sale_queued_behind_a_stuck_group_gives_up_at_the_timeout():
    group, release, outcomes = GroupCommit(), threading.Event(), {}

    def send(name: str, timeout: float):
        try:
            outcomes[name] = group.write(_SlowSession(release), lambda c: name, timeout)
        except Exception as error:
            outcomes[name] = error

    leader = threading.Thread(target=send, args=("leader", 30))
    leader.start()
    deadline = time.monotonic() + 10
    while group.queued() != 0 or not leader.is_alive():  # the leader took its group
        assert time.monotonic() < deadline
        time.sleep(0.01)
    follower = threading.Thread(target=send, args=("follower", 0.3))
    follower.start()
    follower.join(5)
    gave_up = not follower.is_alive()
    release.set()
    leader.join(10)
    follower.join(10)
    assert gave_up, "a follower waits for ever behind a stuck group"
    assert isinstance(outcomes["follower"], OperationalError)
    assert outcomes["leader"] == "leader"
    # The queue goes on: the next write leads and is written.
    assert group.write(_SlowSession(release), lambda c: "next", 1) == "next"


def test_a_failure_at_commit_is_a_503_with_retry_after(app, client, fair, monkeypatch):
    def locked():
        raise OperationalError("COMMIT", None, Exception("database is locked"))

    with app.app_context():
        monkeypatch.setattr(db.session, "commit", locked)
    response = client.patch(
        f"/api/v1/products/{fair.a.products['pot']}",
        json={"unit_price": "140.00"},
        headers=auth(fair.a.token),
    )
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    monkeypatch.undo()
    product = client.get(f"/api/v1/exhibitors/{fair.a.id}/products", headers=auth(fair.a.token))
    prices = {p["id"]: p["unit_price"] for p in product.get_json()["items"]}
    assert prices[fair.a.products["pot"]] == "130.00"
