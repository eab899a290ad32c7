"""The impact report over a generated fair of over 1,000,000 sale lines, against the bare
SQL aggregate (income per exhibitor, through the bare driver) on the same data, in the
same run; on SQLite, and on PostgreSQL when it is reachable."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import median_seconds, migrate_quietly, scratch_postgres

os.environ.setdefault("POS_SECRET_KEY", "bench")

# The demo fair (`pos demo`), finished, busier: over a million sale lines.
EXHIBITORS, SALES_PER_DAY = 320, 360  # a million lines and more
BARE_QUERY = """
SELECT s.exhibitor_id, SUM(l.line_total), COUNT(DISTINCT s.id)
FROM sale_lines l JOIN sales s ON s.id = l.sale_id
LEFT JOIN sale_voids v ON v.sale_id = s.id
WHERE s.event_id = :event AND v.id IS NULL
GROUP BY s.exhibitor_id
"""


def _measure(url: str, label: str) -> None:
    from pos import create_app
    from pos.demo.fair import build_fair
    from pos.extensions import db
    from pos.reports.impact import impact_report
    from pos.sales.models import Sale, SaleLine

    migrate_quietly(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        started = time.perf_counter()
        event = build_fair(EXHIBITORS, SALES_PER_DAY, finished=True)
        sales, lines = (
            db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (Sale, SaleLine)
        )
        assert lines >= 1_000_000, lines
        print(
            f"[{label}] generated the demo fair: {EXHIBITORS} booths, {sales:,} sales, "
            f"{lines:,} lines in {time.perf_counter() - started:.0f} s"
        )
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        ours = median_seconds(lambda: impact_report(event))
        raw = db.engine.raw_connection()
        cursor = raw.cursor()
        sql, params = (
            (BARE_QUERY.replace(":event", "%s"), (event.id,))
            if db.engine.dialect.name == "postgresql"
            else (BARE_QUERY.replace(":event", "?"), (event.id,))
        )
        bare = median_seconds(
            lambda: (
                cursor.execute(sql, params).fetchall()
                if db.engine.dialect.name == "sqlite"
                else (cursor.execute(sql, params), cursor.fetchall())
            )
        )
        raw.close()
        db.engine.dispose()
    print(f"[{label}] impact report (all figures and breakdowns): {ours * 1000:.0f} ms")
    print(f"[{label}] baseline, bare income-per-exhibitor aggregate: {bare * 1000:.0f} ms")
    print(f"[{label}] ratio: {ours / bare:.2f}x the bare query")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _measure(f"sqlite:///{Path(folder) / 'impact.db'}", "SQLite")
    with scratch_postgres("pos_bench") as urls:
        if urls:
            _measure(urls[0], "PostgreSQL")
