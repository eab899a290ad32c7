"""Recording a sale in-process (Flask's test client: validation, the chain, the idempotency
record, commit) against the bare sqlite3 driver writing the same rows into the same tables
with the same durability (``bench.bare_app.Writer``), each on its own copy of the demo fair."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("POS_SECRET_KEY", "bench")

SALES = 1000


def run() -> None:
    from bench.load import BOOTHS, demo_booths, driver_alone, driver_url, sale_bodies
    from pos import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'pos.db'}"
        booths = demo_booths(url)
        body = sale_bodies(booths)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        client = app.test_client()
        latencies = []
        started = time.perf_counter()
        for number in range(SALES):
            exhibitor_id, token, _, _ = booths[number % BOOTHS]
            t0 = time.perf_counter()
            response = client.post(
                f"/api/v1/exhibitors/{exhibitor_id}/sales",
                data=body(number % BOOTHS + 1),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
            )
            latencies.append(time.perf_counter() - t0)
            assert response.status_code == 201, response.json
        ours = time.perf_counter() - started

        bare_url = f"sqlite:///{Path(folder) / 'bare.db'}"
        bare_rate = driver_alone(driver_url(bare_url), demo_booths(bare_url), SALES)
    ours_rate = SALES / ours
    print(
        f"record a sale, in-process, SQLite: {ours_rate:.0f} sales/s "
        f"(p50 {statistics.median(latencies) * 1000:.1f} ms)"
    )
    print(f"baseline, bare sqlite3 driver, same rows into the same tables: {bare_rate:.0f} sales/s")
    print(f"ratio: ours takes {bare_rate / ours_rate:.1f}x the baseline's time a sale")
