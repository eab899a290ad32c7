"""What an operator runs the platform with: liveness and readiness for the load balancer,
Prometheus metrics, a request id in every answer and log line, and migrations that run
once when several hosts upgrade at once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from pos import create_app
from pos.auth.services import create_user
from pos.auth.tokens import issue_token
from pos.core.db import limit_statement_time, utcnow
from pos.extensions import db
from tests.conftest import POSTGRES_ADMIN_URL
from tests.support import auth, fresh_postgres_database, post_sale, simple_sale


def _metrics(client, token: str) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics", headers=auth(token))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.get_data(as_text=True))
        for sample in family.samples
    }


def test_healthz_and_readyz_answer_a_migrated_server(client):
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ready"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_readyz_is_503_until_the_database_is_migrated(tmp_path, backend):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.db'}"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # alive, though not ready
    before = client.get("/readyz")
    assert before.status_code == 503 and "migrations" in before.json["detail"]
    import flask_migrate

    with app.app_context():
        flask_migrate.upgrade()
    assert client.get("/readyz").status_code == 200
    with app.app_context():
        flask_migrate.downgrade(revision="-1")
    behind = client.get("/readyz")
    assert behind.status_code == 503, behind.json


def test_metrics_count_sales_the_print_queue_and_the_phones(app, client, fair):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=auth(fair.a.token)).status_code == 401  # a cashier
    client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=auth(fair.organiser_token),
        json={"connection": "device", "paper_width_mm": 58, "profile": "POS-5890"},
    )
    for _ in range(3):
        sold = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
        assert sold.status_code == 201
    client.post(
        "/api/v1/devices/heartbeat",
        json={
            "outbox": 4,
            "oldest_waiting_at": (utcnow() - timedelta(minutes=5)).isoformat(),
            "refused": 1,
        },
        headers=auth(fair.b.token),
    )
    found = _metrics(client, fair.organiser_token)
    event = (("event_id", str(fair.event_id)),)
    assert found[("pos_sales_recorded_total", event)] == 3
    assert found[("pos_print_queue_depth", (("state", "pending"), ("station", "device")))] == 3
    assert found[("pos_print_queue_oldest_seconds", (("station", "device"),))] >= 0
    assert found[("pos_sales_waiting_on_phones", event)] == 4
    assert found[("pos_sales_refused_on_phones", event)] == 1
    # Request latency, counted by route.
    assert any(name == "pos_request_duration_seconds_count" for name, _ in found)

    # An organiser of another organisation reads none of this fair's counts; the operator's
    # metrics token reads every fair's.
    with app.app_context():
        other = create_user(
            "ops@oriental.ma", "Oriental-2026-ops", "organiser", organisation="Oriental"
        )
        token, _ = issue_token(
            role="organiser", user_id=other.id, expires_at=utcnow() + timedelta(hours=1)
        )
        db.session.commit()
    assert not any(
        ("event_id", str(fair.event_id)) in labels for _, labels in _metrics(client, token)
    )
    app.config["POS_METRICS_TOKEN"] = "scrape-" + uuid.uuid4().hex
    assert (
        _metrics(client, app.config["POS_METRICS_TOKEN"])[("pos_sales_recorded_total", event)] == 3
    )
    assert client.get("/metrics", headers=auth("scrape-wrong")).status_code == 401


def test_every_answer_carries_a_request_id_found_in_the_log(client, fair, caplog):
    caplog.set_level(logging.INFO, logger="pos.requests")
    answer = client.get(f"/api/v1/sales/{2**31 - 1}", headers=auth(fair.a.token))
    assert answer.status_code == 404
    request_id = answer.headers["X-Request-Id"]
    assert answer.json["request_id"] == request_id
    assert any(
        request_id in record.getMessage() and " 404 " in record.getMessage()
        for record in caplog.records
    )
    # A load balancer's id is kept; a strange one is replaced.
    kept = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a"})
    assert kept.headers["X-Request-Id"] == "lb-7f3a"
    replaced = client.get("/healthz", headers={"X-Request-Id": "<script>"})
    assert replaced.headers["X-Request-Id"] != "<script>"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # its server, reachable
def test_two_hosts_upgrading_at_once_migrate_once(database, tmp_path):
    """Two `pos db upgrade` on one empty PostgreSQL database at the same moment: both exit 0,
    the schema is there once."""
    with fresh_postgres_database(POSTGRES_ADMIN_URL) as url:
        env = {
            **os.environ,
            "POS_DATABASE_URL": url,
            "POS_INSTANCE_PATH": str(tmp_path),
        }
        command = [sys.executable, "-m", "pos", "db", "upgrade"]
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=300)[0].decode() for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        engine.dispose()
        assert len(versions) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_connections_are_checked_bounded_and_organiser_reads_time_out(
    database_url, monkeypatch, fair
):
    monkeypatch.setenv("POS_DATABASE_URL", database_url)
    monkeypatch.setenv("POS_DB_POOL_SIZE", "7")
    monkeypatch.setenv("POS_DB_STATEMENT_TIMEOUT_SECONDS", "1")
    app = create_app({"TESTING": True})
    with app.app_context():
        pool = db.engine.pool
        assert pool._pre_ping and pool.size() == 7
        with app.test_request_context():
            limit_statement_time()
            assert db.session.execute(sa.text("SHOW statement_timeout")).scalar() == "1s"
            with pytest.raises(sa.exc.OperationalError, match="statement timeout"):
                db.session.execute(sa.text("SELECT pg_sleep(3)"))
            db.session.rollback()
        db.engine.dispose()
    # A report still answers within its bound.
    client = app.test_client()
    report = client.get(
        f"/api/v1/events/{fair.event_id}/reports/impact", headers=auth(fair.organiser_token)
    )
    assert report.status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_pos_serve_logs_one_line_per_request_with_its_id(database_url, tmp_path):
    from tests.livesupport import LiveServer

    log = tmp_path / "serve.log"
    live = LiveServer(database_url, workers=1, log_path=log, extra_args=("--no-print-worker",))
    try:
        live.wait_ready()
        status, headers, _ = live.request("GET", "/healthz", headers={"X-Request-Id": "lb-42"})
        assert status == 200 and headers["X-Request-Id"] == "lb-42"
    finally:
        live.stop()
    lines = [line for line in log.read_text().splitlines() if "/healthz" in line]
    assert len(lines) == 1 and "GET /healthz 200" in lines[0] and "id=lb-42" in lines[0], lines
