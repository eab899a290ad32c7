"""Receipt numbers stay consecutive when many tills sell at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pos.exhibitors import ledger
from pos.extensions import db
from pos.integrity.verify import verify_all
from pos.sales.models import Sale
from tests.support import auth, post_sale, simple_sale

THREADS = 16
SALES = 240


def test_receipt_numbers_have_no_gap_and_no_duplicate(app, fair, backend, record_property):
    honey = fair.a.products["honey"]
    local = threading.local()

    def one_sale(index: int) -> int:
        if not hasattr(local, "client"):
            local.client = app.test_client()
        body = simple_sale(honey, quantity="0.500", amount="125.00", method="cash")
        response = post_sale(local.client, fair.a.token, fair.a.id, body)
        assert response.status_code == 201, response.json
        return int(response.json["receipt_number"].split("-")[1])

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        numbers = list(pool.map(one_sale, range(SALES)))
    elapsed = time.perf_counter() - started
    record_property("sales_per_second", round(SALES / elapsed, 1))
    print(
        f"\n{backend}: {SALES} sales from {THREADS} threads in {elapsed:.2f} s "
        f"({SALES / elapsed:.0f}/s)"
    )

    assert sorted(numbers) == list(range(1, SALES + 1))
    with app.app_context():
        stored = db.session.scalars(
            sa.select(Sale.receipt_seq)
            .where(Sale.exhibitor_id == fair.a.id)
            .order_by(Sale.receipt_seq)
        ).all()
        total = db.session.scalar(sa.select(sa.func.sum(Sale.total)))
    assert stored == list(range(1, SALES + 1))
    assert total == SALES * 12500
    # Sales sealed on a head another till had moved on since were linked anew: the
    # booth's chain still holds, link after link.
    with app.app_context():
        report = verify_all()
    assert report.problems == [], report.problems


def test_sales_go_on_while_a_report_query_runs(app, client, fair):
    """Report aggregates read on their own connections and never take the write lock: a
    booth records its sale while the organiser's report is still reading."""
    with app.app_context():
        engine = db.engine
    with engine.connect().execution_options(read_only=True) as report:
        assert report.execute(sa.select(sa.func.count(Sale.id))).scalar_one() == 0
        # The report's transaction is still open here.
        started = time.monotonic()
        response = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
        waited = time.monotonic() - started
        assert response.status_code == 201, response.json
        assert waited < 2, f"the sale waited {waited:.1f} s for the report"


def _read_then_stale(monkeypatch):
    """Every sale from now on is sealed on the head the first one read, as if the booth's
    chain had not moved since: what a till sees when another record comes first."""
    first = []

    def stale_head_of(row):
        first.append(real_head_of(row))
        return first[0]

    real_head_of = ledger.head_of
    monkeypatch.setattr(ledger, "head_of", stale_head_of)


def test_a_sale_sealed_on_a_head_that_moved_is_linked_to_the_new_end(
    app, client, fair, monkeypatch
):
    _read_then_stale(monkeypatch)
    pot = fair.a.products["pot"]
    numbers = []
    for _ in range(3):
        response = post_sale(client, fair.a.token, fair.a.id, simple_sale(pot))
        assert response.status_code == 201, response.json
        numbers.append(response.json["receipt_number"])
    assert [number.split("-")[1] for number in numbers] == ["000001", "000002", "000003"]
    with app.app_context():
        assert verify_all().problems == []


def test_a_sale_sealed_before_its_day_was_closed_goes_into_the_next_period(
    app, client, fair, monkeypatch
):
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
    pot = fair.a.products["pot"]
    _read_then_stale(monkeypatch)
    assert post_sale(client, fair.a.token, fair.a.id, simple_sale(pot)).status_code == 201
    closing = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/closings",
        json={"date": str(today)},
        headers=auth(fair.a.token),
    )
    assert closing.status_code == 201, closing.json
    # Sealed on the head from before the closing: the day was still open then.
    response = post_sale(client, fair.a.token, fair.a.id, simple_sale(pot))
    assert response.status_code == 201, response.json
    assert response.json["late"] is True
    assert response.json["period_date"] == str(today + timedelta(days=1))
    with app.app_context():
        assert verify_all().problems == []
