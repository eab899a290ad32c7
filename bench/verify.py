"""``pos verify`` over about 100,000 sales (the demo fair, 20 busy booths), against hashing
the same payloads with no database."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench import migrate_quietly

os.environ.setdefault("POS_SECRET_KEY", "bench")

EXHIBITORS, SALES_PER_DAY = 20, 780


def run() -> None:
    import sqlalchemy as sa

    from pos import create_app
    from pos.core import chain
    from pos.demo.fair import build_fair
    from pos.extensions import db
    from pos.integrity.verify import _rows, verify_all
    from pos.sales.models import Sale

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("POS_BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'v.db'}"
        migrate_quietly(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            started = time.perf_counter()
            build_fair(EXHIBITORS, SALES_PER_DAY, finished=True)
            sales = db.session.scalar(sa.select(sa.func.count()).select_from(Sale))
            print(
                f"generated {sales:,} sales in "
                f"{time.perf_counter() - started:.1f} s ({db.engine.dialect.name})"
            )
            started = time.perf_counter()
            report = verify_all()
            verify_time = time.perf_counter() - started
            assert report.ok, report.problems[:5]
            # Baseline: the hashing alone, on payloads already in memory.
            rows = _rows(sa.select(Sale.__table__).limit(20000))
            started = time.perf_counter()
            for row in rows:
                chain.seal(row.prev_hash, chain.sale_payload(row, [], []))
            per_record = (time.perf_counter() - started) / len(rows)
            db.engine.dispose()
    baseline = per_record * report.records
    print(f"pos verify: {report.records:,} records in {verify_time:.2f} s")
    print(f"baseline, hashing the same number of payloads in memory: {baseline:.2f} s")
    print(f"ratio: verify takes {verify_time / baseline:.1f}x the bare hashing")
