"""The fair's clock is the database's: a host whose own clock runs ahead does not move the
sales of the tills that reach it (found by ``pos drill``: behind a load balancer, a host
two minutes ahead moved half the fair's sales by two minutes, and a sale at 23:59 would
have changed day)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from pos.drill.hosts import FAKETIME
from tests.conftest import skip_or_fail
from tests.livesupport import LiveServer
from tests.support import auth, simple_sale


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_host_whose_clock_runs_ahead_records_the_sale_at_its_true_moment(
    database_url, fair, tmp_path
):
    if FAKETIME is None:
        skip_or_fail("no libfaketime (Debian package libfaketime) for the host ahead")
    ahead = LiveServer(
        database_url,
        log_path=tmp_path / "ahead.log",
        extra_env={"LD_PRELOAD": str(FAKETIME), "FAKETIME": "+3m", "FAKETIME_DONT_RESET": "1"},
        extra_args=("--no-print-worker",),
    )
    try:
        ahead.wait_ready()
        sold_at = datetime.now(UTC) - timedelta(seconds=5)  # a phone whose clock is right
        status, _, sale = ahead.request(
            "POST",
            f"/api/v1/exhibitors/{fair.a.id}/sales",
            {**simple_sale(fair.a.products["pot"]), "sold_at": sold_at.isoformat()},
            {
                **auth(fair.a.token),
                "Idempotency-Key": str(uuid.uuid4()),
                "Device-Clock": datetime.now(UTC).isoformat(),
            },
        )
    finally:
        ahead.stop()
    assert status == 201, sale
    assert sale["clock_corrected"] is False
    assert datetime.fromisoformat(sale["sold_at"]) == sold_at
    recorded = datetime.fromisoformat(sale["recorded_at"])
    assert abs(recorded - datetime.now(UTC)) < timedelta(seconds=60)
