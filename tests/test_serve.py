"""``pos serve`` is a production server that records sales over real HTTP."""

from __future__ import annotations

import uuid

from tests.livesupport import LiveServer
from tests.support import auth, simple_sale


def test_pos_serve_records_and_replays_a_sale_over_http(database_url, fair, tmp_path):
    server = LiveServer(database_url, log_path=tmp_path / "serve.log")
    try:
        server.wait_ready()
        headers = {**auth(fair.a.token), "Idempotency-Key": str(uuid.uuid4())}
        body = simple_sale(fair.a.products["pot"], method="cash")
        status, response_headers, sale = server.request(
            "POST", f"/api/v1/exhibitors/{fair.a.id}/sales", body, headers
        )
        assert status == 201
        assert response_headers["Server"].startswith("gunicorn")
        status, replay_headers, replay = server.request(
            "POST", f"/api/v1/exhibitors/{fair.a.id}/sales", body, headers
        )
        assert status == 201 and replay == sale
        assert replay_headers["Idempotent-Replayed"] == "true"
    finally:
        server.stop()
