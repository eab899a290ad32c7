"""The event journal records who did what, chained like the sales."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pos.audit.models import AuditEvent
from pos.extensions import db
from tests.support import ORGANISER_EMAIL, ORGANISER_PASSWORD, auth, post_sale, simple_sale


def test_actions_are_journaled_and_the_journal_verifies(app, client, fair):
    organiser = auth(fair.organiser_token)
    client.post("/api/v1/auth/token", json={"email": ORGANISER_EMAIL, "password": "wrong"})
    token = client.post(
        "/api/v1/auth/token", json={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
    ).json["token"]
    client.post("/api/v1/auth/revoke", headers=auth(token))
    device = client.post(
        f"/api/v1/exhibitors/{fair.a.id}/devices", json={"label": "Tablette"}, headers=organiser
    ).json
    client.post(f"/api/v1/devices/{device['id']}/revoke", headers=organiser)
    client.patch(
        f"/api/v1/products/{fair.a.products['pot']}",
        json={"unit_price": "140.00"},
        headers=auth(fair.a.token),
    )
    client.put(
        f"/api/v1/exhibitors/{fair.a.id}/printer",
        headers=organiser,
        json={"connection": "tcp://192.168.8.20:9100", "profile": "POS-5890", "paper_width_mm": 58},
    )
    sale = post_sale(
        client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"], amount="140.00")
    ).json
    client.post(
        f"/api/v1/sales/{sale['id']}/void",
        json={"reason": "client parti"},
        headers=auth(fair.a.token),
    )
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
    client.post(
        f"/api/v1/exhibitors/{fair.a.id}/closings",
        json={"date": str(today)},
        headers=auth(fair.a.token),
    )

    with app.app_context():
        kinds = db.session.scalars(sa.select(AuditEvent.kind).order_by(AuditEvent.seq)).all()
    assert kinds[:2] == ["device.created", "device.created"]  # the fair's two booth phones
    assert kinds[2:] == [
        "login.failed",
        "login.succeeded",
        "token.revoked",
        "device.created",
        "device.revoked",
        "product.price_changed",
        "printer.changed",
        "sale.voided",
        "day.closed",
    ]

    journal = client.get(
        f"/api/v1/events/{fair.event_id}/journal?kind=sale.voided", headers=organiser
    ).json
    assert journal["total"] == 1
    assert journal["items"][0]["details"] == {
        "receipt": sale["receipt_number"],
        "reason": "client parti",
    }
    assert (
        client.get(
            f"/api/v1/events/{fair.event_id}/journal", headers=auth(fair.a.token)
        ).status_code
        == 403
    )
    result = app.test_cli_runner().invoke(args=["verify"])
    assert result.exit_code == 0, result.output
