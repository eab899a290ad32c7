"""On SQLite, the sales that wait for the write lock together are written together: one
transaction, one wait for the disk (``pos.core.group_commit``). PostgreSQL has no such
queue: each sale is one statement of its own (test_concurrency covers both)."""

from __future__ import annotations

import threading
import time
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from pos.core.group_commit import GroupCommit, group_of
from pos.extensions import db
from pos.integrity.verify import verify_all
from pos.sales.models import Sale
from tests.support import post_sale, simple_sale

on_sqlite = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _sell_behind_the_lock(app, sales: list[tuple[str, int, dict, str]]) -> tuple[list, int]:
    """Send ``sales`` (token, exhibitor, body, key) at once while the write lock is held
    elsewhere, let it go once all of them wait for it; their answers in order, and how
    many write transactions they took."""
    answers: list = [None] * len(sales)
    transactions = []

    def count(conn, cursor, statement, *args):
        if statement == "BEGIN IMMEDIATE":
            transactions.append(statement)

    def send(index: int, token: str, exhibitor_id: int, body: dict, key: str):
        answers[index] = post_sale(app.test_client(), token, exhibitor_id, body, key=key)

    with app.app_context():
        engine = db.engine
        group = group_of(engine)
        holder = engine.connect()
        holder.begin()  # outside a request: BEGIN IMMEDIATE, the write lock taken
        sa.event.listen(engine, "before_cursor_execute", count)
        threads = [threading.Thread(target=send, args=(i, *sale)) for i, sale in enumerate(sales)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while group.queued() < len(sales):
            assert time.monotonic() < deadline, "the sales never all waited for the lock"
            time.sleep(0.01)
        holder.rollback()
        holder.close()  # the write lock goes
        for thread in threads:
            thread.join(30)
        sa.event.remove(engine, "before_cursor_execute", count)
    return answers, len(transactions)


def _receipts(app, exhibitor_id: int) -> list[int]:
    with app.app_context():
        return db.session.scalars(
            sa.select(Sale.receipt_seq)
            .where(Sale.exhibitor_id == exhibitor_id)
            .order_by(Sale.receipt_seq)
        ).all()


@on_sqlite
def test_sales_that_waited_together_are_written_in_one_transaction(app, fair):
    pot, teapot = fair.a.products["pot"], fair.b.products["teapot"]
    sales = [
        (fair.a.token, fair.a.id, simple_sale(pot), str(uuid.uuid4())),
        (
            fair.a.token,
            fair.a.id,
            simple_sale(pot, quantity="2", amount="260.00"),
            str(uuid.uuid4()),
        ),
        (fair.b.token, fair.b.id, simple_sale(teapot, amount="380.00"), str(uuid.uuid4())),
        (fair.a.token, fair.a.id, simple_sale(pot), str(uuid.uuid4())),
    ]
    answers, transactions = _sell_behind_the_lock(app, sales)
    assert [answer.status_code for answer in answers] == [201] * 4, [a.json for a in answers]
    assert transactions == 1
    # All four were sealed on the chain ends as they stood before: booth A's later ones were
    # linked anew in the group, numbered on from the first.
    assert _receipts(app, fair.a.id) == [1, 2, 3]
    assert _receipts(app, fair.b.id) == [1]
    numbers = [answer.json["receipt_number"] for answer in answers]
    assert sorted(numbers) == ["A01-000001", "A01-000002", "A01-000003", "B07-000001"]
    with app.app_context():
        assert verify_all().problems == []


@on_sqlite
def test_a_twin_in_the_group_gets_the_first_answer_and_the_others_are_recorded(app, fair):
    """Two sends of one sale waited in the same group: the group's transaction fails on the
    key's unique record, each is written again alone, and the twin is answered as the first."""
    pot, teapot = fair.a.products["pot"], fair.b.products["teapot"]
    key = str(uuid.uuid4())
    sales = [
        (fair.a.token, fair.a.id, simple_sale(pot), key),
        (fair.b.token, fair.b.id, simple_sale(teapot, amount="380.00"), str(uuid.uuid4())),
        (fair.a.token, fair.a.id, simple_sale(pot), key),
        (
            fair.a.token,
            fair.a.id,
            simple_sale(pot, quantity="2", amount="260.00"),
            str(uuid.uuid4()),
        ),
    ]
    answers, transactions = _sell_behind_the_lock(app, sales)
    assert [answer.status_code for answer in answers] == [201] * 4, [a.json for a in answers]
    assert transactions > 1  # the group's, then one each
    sends = [answers[0], answers[2]]
    assert sends[0].json == sends[1].json
    assert sorted(send.headers.get("Idempotent-Replayed", "") for send in sends) == ["", "true"]
    assert _receipts(app, fair.a.id) == [1, 2]
    assert _receipts(app, fair.b.id) == [1]
    with app.app_context():
        assert verify_all().problems == []


class _FailingDisk:
    """A session whose commit fails and whose undoing fails too (the disk went away);
    ``connection`` waits until ``release`` is set, so that a group can form."""

    def __init__(self, release: threading.Event):
        self.release = release

    def connection(self):
        self.release.wait(10)
        return SimpleNamespace(dialect=SimpleNamespace(name="none"), info={})

    def commit(self):
        raise OSError("disk I/O error")

    def rollback(self):
        raise OSError("disk I/O error")


def test_no_request_of_a_group_answers_as_written_when_its_commit_failed():
    group, release, outcomes = GroupCommit(), threading.Event(), {}

    def send(name: str):
        try:
            outcomes[name] = group.write(_FailingDisk(release), lambda connection: "written", 30)
        except Exception as error:
            outcomes[name] = error

    threads = [threading.Thread(target=send, args=(name,)) for name in ("first", "second")]
    threads[0].start()
    deadline = time.monotonic() + 10
    while group.queued() < 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    threads[1].start()
    while group.queued() < 2:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert isinstance(outcomes["first"], OSError)
    assert isinstance(outcomes["second"], RuntimeError), outcomes["second"]
