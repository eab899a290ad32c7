"""The database itself refuses to change or remove a sealed record."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pos.extensions import db
from tests.support import auth, post_sale, simple_sale

STATEMENTS = [
    "UPDATE sales SET total = 1",
    "DELETE FROM sales",
    "UPDATE sale_lines SET line_total = 1",
    "DELETE FROM sale_lines",
    "UPDATE payments SET amount = 1",
    "DELETE FROM payments",
    "UPDATE sale_voids SET reason = 'x'",
    "DELETE FROM sale_voids",
    "UPDATE closings SET net = 1",
    "DELETE FROM closings",
    "UPDATE audit_events SET kind = 'x'",
    "DELETE FROM audit_events",
    "UPDATE idempotency_records SET response_body = '{}'",
    "DELETE FROM idempotency_records",
]


@pytest.fixture
def sealed_records(client, fair):
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"])).json
    client.post(
        f"/api/v1/sales/{sale['id']}/void", json={"reason": "erreur"}, headers=auth(fair.a.token)
    )
    post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    closing = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/closings",
        json={"date": sale["period_date"]},
        headers=auth(fair.a.token),
    )
    assert closing.status_code == 201


@pytest.mark.parametrize("statement", STATEMENTS)
def test_triggers_refuse_update_and_delete(app, sealed_records, statement):
    with app.app_context():
        count_table = (
            statement.split()[1] if statement.startswith("UPDATE") else statement.split()[2]
        )
        before = db.session.execute(sa.text(f"SELECT * FROM {count_table}")).all()
        assert before, f"{count_table} should have rows for this test to mean something"
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(sa.text(statement))
            db.session.commit()
        db.session.rollback()
        assert db.session.execute(sa.text(f"SELECT * FROM {count_table}")).all() == before


def test_the_api_has_no_update_or_delete_for_sealed_records(client, fair, sealed_records):
    sale = client.get(f"/api/v1/exhibitors/{fair.a.id}/sales", headers=auth(fair.a.token)).json
    closing = client.get(
        f"/api/v1/exhibitors/{fair.a.id}/closings", headers=auth(fair.a.token)
    ).json
    for url in (
        f"/api/v1/sales/{sale['items'][0]['id']}",
        f"/api/v1/closings/{closing['items'][0]['id']}",
    ):
        for method in ("PUT", "PATCH", "DELETE"):
            response = client.open(url, method=method, json={}, headers=auth(fair.organiser_token))
            assert response.status_code == 405, (method, url)
            assert "GET" in response.headers["Allow"]
